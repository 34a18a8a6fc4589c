from django.urls import path

from okrcoach.core.http import ORG

from . import views

app_name = "growth"

G = f"{ORG}growth/"
M = f"{G}meetings/<uuid:meeting_id>/"

urlpatterns = [
    path(G, views.home, name="home"),
    path(f"{G}one-on-ones/new/", views.series_new, name="series_new"),
    path(f"{G}one-on-ones/<uuid:series_id>/", views.series_detail, name="series"),
    path(f"{G}one-on-ones/<uuid:series_id>/calendar.ics", views.series_calendar, name="series_ics"),
    path(f"{G}one-on-ones/<uuid:series_id>/next/", views.meeting_next, name="meeting_next"),
    path(M, views.meeting_detail, name="meeting"),
    path(f"{M}agenda/", views.meeting_post, {"region": "agenda"}, name="agenda_add"),
    path(f"{M}shared-notes/", views.meeting_post, {"region": "shared"}, name="shared_notes"),
    path(f"{M}private-note/", views.meeting_post, {"region": "private"}, name="private_note"),
    path(f"{M}actions/", views.meeting_post, {"region": "actions"}, name="action_add"),
    path(f"{M}actions/<uuid:item_id>/done/", views.action_done, name="action_done"),
    path(
        f"{G}people/<uuid:person_id>/development/", views.development_list, name="development_list"
    ),
    path(f"{G}development/<uuid:objective_id>/", views.development_detail, name="development"),
    path(
        f"{G}development/<uuid:objective_id>/key-results/",
        views.development_kr_add,
        name="development_kr_add",
    ),
    path(
        f"{G}development/<uuid:objective_id>/status/",
        views.development_status,
        name="development_status",
    ),
    path(
        f"{G}development-key-results/<uuid:kr_id>/progress/",
        views.development_progress,
        name="development_progress",
    ),
    path(f"{G}skills/", views.skills, name="skills"),
    path(f"{G}people/<uuid:person_id>/skills/", views.person_skills, name="person_skills"),
    path(f"{G}feedback/", views.feedback, name="feedback"),
    path(f"{G}feedback/give/", views.feedback_give, name="feedback_give"),
    path(f"{G}feedback/<uuid:feedback_id>/", views.feedback_detail, name="feedback_detail"),
    path(f"{G}feedback/request/", views.feedback_request, name="feedback_request"),
    path(f"{G}recognition/", views.recognition, name="recognition"),
    path(f"{G}people/<uuid:person_id>/evidence/", views.evidence_pack, name="evidence_pack"),
]
