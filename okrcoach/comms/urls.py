from django.urls import path

from okrcoach.core.http import ORG

from . import views

app_name = "comms"

C = f"{ORG}comments/"
N = f"{ORG}notifications/"
W = f"{ORG}webhooks/"

urlpatterns = [
    # Before the thread route: "edit" and "delete" would otherwise match its <slug:kind>.
    path(f"{C}edit/<uuid:comment_id>/", views.comment_edit, name="comment_edit"),
    path(f"{C}delete/<uuid:comment_id>/", views.comment_delete, name="comment_delete"),
    path(f"{C}<slug:kind>/<uuid:target_id>/", views.thread, name="thread"),
    path(
        f"{C}<slug:kind>/<uuid:target_id>/preview/", views.compose_preview, name="compose_preview"
    ),
    path(f"{C}<slug:kind>/<uuid:target_id>/people/", views.mention_people, name="mention_people"),
    path(N, views.inbox, name="inbox"),
    path(f"{N}badge/", views.badge, name="badge"),
    path(f"{N}read-all/", views.read_all, name="read_all"),
    path(f"{N}<uuid:notification_id>/", views.notification_open, name="notification_open"),
    path(f"{N}<uuid:notification_id>/read/", views.notification_read, name="notification_read"),
    path(f"{ORG}activity/", views.feed, name="feed"),
    path(f"{ORG}activity/teams/<uuid:team_id>/", views.team_feed, name="team_feed"),
    path(f"{ORG}activity/<slug:kind>/<uuid:target_id>/", views.target_feed, name="target_feed"),
    path(W, views.webhooks, name="webhooks"),
    path(f"{W}<uuid:endpoint_id>/", views.webhook_detail, name="webhook_detail"),
    path(f"{W}<uuid:endpoint_id>/test/", views.webhook_test, name="webhook_test"),
    path(f"{W}<uuid:endpoint_id>/delete/", views.webhook_delete, name="webhook_delete"),
    path(
        f"{W}deliveries/<uuid:delivery_id>/redeliver/",
        views.webhook_redeliver,
        name="webhook_redeliver",
    ),
    path("notifications/unsubscribe/", views.unsubscribe, name="unsubscribe"),
]
