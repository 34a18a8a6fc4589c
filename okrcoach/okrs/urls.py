from django.urls import path

from okrcoach.core.http import ORG

from . import views, views_coach, views_extra, views_io

app_name = "okrs"

P = f"{ORG}okrs/"

urlpatterns = [
    path(P, views.my_okrs, name="my_okrs"),
    path(f"{P}company/", views.company, name="company"),
    path(f"{P}company/coverage/", views.company_coverage, name="company_coverage"),
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
    # import and export
    path(f"{P}import/", views_io.import_okrs, name="import"),
    path(f"{P}cycles/<uuid:cycle_id>/export/", views_io.export_cycle, name="export"),
    # collaboration, teams and cycle reviews
    path(
        f"{P}objectives/<uuid:objective_id>/contributors/",
        views_extra.objective_contributors,
        name="objective_contributors",
    ),
    path(
        f"{P}objectives/<uuid:objective_id>/links/",
        views_extra.objective_links,
        name="objective_links",
    ),
    path(f"{P}links/<uuid:link_id>/delete/", views_extra.link_delete, name="link_delete"),
    path(
        f"{P}initiatives/<uuid:initiative_id>/status/",
        views_extra.initiative_status,
        name="initiative_status",
    ),
    path(f"{P}teams/<uuid:team_id>/cadence/", views_extra.team_cadence, name="team_cadence"),
    path(f"{P}teams/<uuid:team_id>/cycles/", views_extra.team_cycles, name="team_cycles"),
    path(
        f"{P}teams/<uuid:team_id>/cycles/<uuid:cycle_id>/retrospective/",
        views_extra.team_retrospective,
        name="team_retrospective",
    ),
    path(
        f"{P}cycles/<uuid:cycle_id>/evaluation/",
        views_extra.cycle_evaluation,
        name="cycle_evaluation",
    ),
]

# The coach: review as you type, apply a suggestion, dismiss a finding; its pages.
C = views_coach
urlpatterns += [
    path(f"{P}coach/", C.coach_report, name="coach_report"),
    path(f"{P}objectives/coach/review/", C.new_objective_review, name="coach_new_objective_review"),
    path(
        f"{P}objectives/coach/dismiss/", C.new_objective_dismiss, name="coach_new_objective_dismiss"
    ),
    path(
        f"{P}objectives/<uuid:objective_id>/coach/review/",
        C.objective_review,
        name="coach_objective_review",
    ),
    path(
        f"{P}objectives/<uuid:objective_id>/coach/dismiss/",
        C.objective_dismiss,
        name="coach_objective_dismiss",
    ),
    path(
        f"{P}objectives/<uuid:objective_id>/key-results/coach/review/",
        C.new_key_result_review,
        name="coach_new_key_result_review",
    ),
    path(
        f"{P}objectives/<uuid:objective_id>/key-results/coach/dismiss/",
        C.new_key_result_dismiss,
        name="coach_new_key_result_dismiss",
    ),
    path(
        f"{P}key-results/<uuid:key_result_id>/coach/", C.key_result_coach, name="coach_key_result"
    ),
    path(
        f"{P}key-results/<uuid:key_result_id>/coach/review/",
        C.key_result_review,
        name="coach_key_result_review",
    ),
    path(
        f"{P}key-results/<uuid:key_result_id>/coach/dismiss/",
        C.key_result_dismiss,
        name="coach_key_result_dismiss",
    ),
]
