from django.urls import path

from okrcoach.core.http import ORG

from . import setup_views, views

app_name = "orgs"

urlpatterns = [
    path("", views.root, name="root"),
    path("setup/", setup_views.setup, name="setup"),
    path("signup/", setup_views.sign_up, name="signup"),
    path("join/", setup_views.join, name="join"),
    path(f"{ORG}", views.home, name="home"),
    path(f"{ORG}people/", views.people_list, name="people"),
    path(f"{ORG}people/<uuid:person_id>/", views.person_detail, name="person_detail"),
    path(f"{ORG}teams/", views.team_list, name="team_list"),
    path(f"{ORG}teams/<uuid:team_id>/", views.team_detail, name="team_detail"),
    path(f"{ORG}admin/people/", views.manage_people, name="manage_people"),
    path(f"{ORG}admin/people/<uuid:person_id>/edit/", views.edit_member, name="edit_member"),
    path(
        f"{ORG}admin/people/<uuid:person_id>/deactivate/",
        views.set_member_active,
        {"active": False},
        name="deactivate_member",
    ),
    path(
        f"{ORG}admin/people/<uuid:person_id>/reactivate/",
        views.set_member_active,
        {"active": True},
        name="reactivate_member",
    ),
    path(
        f"{ORG}admin/invitations/<uuid:invitation_id>/revoke/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path(f"{ORG}admin/teams/new/", views.edit_team, name="create_team"),
    path(f"{ORG}admin/teams/<uuid:team_id>/edit/", views.edit_team, name="edit_team"),
    path(f"{ORG}admin/teams/<uuid:team_id>/delete/", views.delete_team, name="delete_team"),
    path(f"{ORG}admin/import/", views.import_csv, name="import"),
    path(f"{ORG}admin/settings/", views.organisation_settings, name="settings"),
    path(f"{ORG}admin/audit/", views.audit_log, name="audit_log"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
