from django.urls import path

from okrcoach.core.http import ORG

from . import views

# Not "api": that namespace belongs to the NinjaAPI's own routes under /api/v1/.
app_name = "api_tokens"

urlpatterns = [
    path(f"{ORG}api-tokens/", views.tokens, name="tokens"),
    path(f"{ORG}api-tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke"),
]
