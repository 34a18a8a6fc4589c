from django.contrib import admin
from django.urls import include, path

from okrcoach.api_v1 import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("site-admin/", admin.site.urls),
    path("", include("okrcoach.core.urls")),
    path("", include("okrcoach.accounts.urls")),
    path("", include("okrcoach.orgs.urls")),
    path("", include("okrcoach.api.urls")),
    path("", include("okrcoach.comms.urls")),
    path("", include("okrcoach.okrs.urls")),
    path("", include("okrcoach.academy.urls")),
    path("", include("okrcoach.insights.urls")),
    path("", include("okrcoach.growth.urls")),
]

handler403 = "okrcoach.core.views.error_403"
handler404 = "okrcoach.core.views.error_404"
handler500 = "okrcoach.core.views.error_500"
