from django.urls import path

from okrcoach.core.http import ORG

from . import views

app_name = "okrs"

P = f"{ORG}okrs/"

urlpatterns = [
    path(P, views.my_okrs, name="my_okrs"),
    path(f"{P}company/", views.company, name="company"),
    path(
        f"{P}company/<uuid:objective_id>/children/", views.company_children, name="company_children"
    ),
    path(f"{P}teams/<uuid:team_id>/", views.team_okrs, name="team_okrs"),
    path(f"{P}late/", views.late_check_ins, name="late_check_ins"),
    path(f"{P}objectives/new/", views.objective_create, name="objective_create"),
    path(f"{P}objectives/<uuid:objective_id>/", views.objective_detail, name="objective_detail"),
    path(f"{P}objectives/<uuid:objective_id>/edit/", views.objective_edit, name="objective_edit"),
    path(
        f"{P}objectives/<uuid:objective_id>/delete/",
        views.objective_delete,
        name="objective_delete",
    ),
    path(
        f"{P}objectives/<uuid:objective_id>/carry-over/",
        views.objective_carry_over,
        name="objective_carry_over",
    ),
    path(
        f"{P}objectives/<uuid:objective_id>/retrospective/",
        views.retrospective,
        name="retrospective",
    ),
    path(
        f"{P}objectives/<uuid:objective_id>/key-results/new/",
        views.key_result_create,
        name="key_result_create",
    ),
    path(
        f"{P}key-results/<uuid:key_result_id>/edit/", views.key_result_edit, name="key_result_edit"
    ),
    path(f"{P}key-results/<uuid:key_result_id>/check-in/", views.check_in, name="check_in"),
    path(
        f"{P}key-results/<uuid:key_result_id>/initiatives/",
        views.initiative_create,
        name="initiative_create",
    ),
    path(f"{P}key-results/<uuid:key_result_id>/grade/", views.grade, name="grade"),
    path(
        f"{P}check-ins/<uuid:check_in_id>/correct/", views.check_in_correct, name="check_in_correct"
    ),
    path(f"{P}cycles/", views.cycle_list, name="cycles"),
    path(f"{P}cycles/<uuid:cycle_id>/advance/", views.cycle_advance, name="cycle_advance"),
    path(f"{P}cycles/<uuid:cycle_id>/grading/", views.grading, name="grading"),
]
