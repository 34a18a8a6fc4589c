from django.urls import path

from okrcoach.core.http import ORG

from .views import (
    alignment,
    check_ins,
    coach,
    cycles,
    grading,
    import_export,
    key_results,
    objectives,
    pages,
)

app_name = "okrs"

P = f"{ORG}okrs/"

urlpatterns = [
    path(P, pages.my_okrs, name="my_okrs"),
    path(f"{P}company/", pages.company, name="company"),
    path(f"{P}company/coverage/", pages.company_coverage, name="company_coverage"),
    path(
        f"{P}company/<uuid:objective_id>/children/", pages.company_children, name="company_children"
    ),
    path(f"{P}teams/<uuid:team_id>/", pages.team_okrs, name="team_okrs"),
    path(f"{P}late/", pages.late_check_ins, name="late_check_ins"),
    path(f"{P}objectives/new/", objectives.objective_create, name="objective_create"),
    path(f"{P}objectives/<uuid:objective_id>/", pages.objective_detail, name="objective_detail"),
    path(
        f"{P}objectives/<uuid:objective_id>/edit/", objectives.objective_edit, name="objective_edit"
    ),
    path(
        f"{P}objectives/<uuid:objective_id>/delete/",
        objectives.objective_delete,
        name="objective_delete",
    ),
    path(
        f"{P}objectives/<uuid:objective_id>/carry-over/",
        objectives.objective_carry_over,
        name="objective_carry_over",
    ),
    path(
        f"{P}objectives/<uuid:objective_id>/retrospective/",
        grading.retrospective,
        name="retrospective",
    ),
    path(
        f"{P}objectives/<uuid:objective_id>/key-results/new/",
        key_results.key_result_create,
        name="key_result_create",
    ),
    path(
        f"{P}key-results/<uuid:key_result_id>/edit/",
        key_results.key_result_edit,
        name="key_result_edit",
    ),
    path(f"{P}key-results/<uuid:key_result_id>/check-in/", check_ins.check_in, name="check_in"),
    path(
        f"{P}key-results/<uuid:key_result_id>/initiatives/",
        key_results.initiative_create,
        name="initiative_create",
    ),
    path(f"{P}key-results/<uuid:key_result_id>/grade/", grading.grade, name="grade"),
    path(
        f"{P}check-ins/<uuid:check_in_id>/correct/",
        check_ins.check_in_correct,
        name="check_in_correct",
    ),
    path(f"{P}cycles/", cycles.cycle_list, name="cycles"),
    path(f"{P}cycles/<uuid:cycle_id>/advance/", cycles.cycle_advance, name="cycle_advance"),
    path(f"{P}cycles/<uuid:cycle_id>/edit/", cycles.cycle_edit, name="cycle_edit"),
    path(f"{P}cycles/<uuid:cycle_id>/grading/", grading.grading, name="grading"),
    # import and export
    path(f"{P}import/", import_export.import_okrs, name="import"),
    path(f"{P}cycles/<uuid:cycle_id>/export/", import_export.export_cycle, name="export"),
    path(
        f"{P}cycles/<uuid:cycle_id>/export/xlsx/",
        import_export.start_export,
        name="export_xlsx_start",
        kwargs={"kind": "xlsx"},
    ),
    path(
        f"{P}cycles/<uuid:cycle_id>/export/csv/",
        import_export.start_export,
        name="export_csv_start",
        kwargs={"kind": "csv"},
    ),
    path(f"{P}exports/<uuid:job_id>/", import_export.export_job, name="export_job"),
    path(
        f"{P}exports/<uuid:job_id>/download/",
        import_export.download_export,
        name="export_download",
    ),
    # collaboration, teams and cycle reviews
    path(
        f"{P}objectives/<uuid:objective_id>/contributors/",
        alignment.objective_contributors,
        name="objective_contributors",
    ),
    path(
        f"{P}objectives/<uuid:objective_id>/links/",
        alignment.objective_links,
        name="objective_links",
    ),
    path(f"{P}links/<uuid:link_id>/delete/", alignment.link_delete, name="link_delete"),
    path(
        f"{P}initiatives/<uuid:initiative_id>/status/",
        key_results.initiative_status,
        name="initiative_status",
    ),
    path(f"{P}teams/<uuid:team_id>/cadence/", check_ins.team_cadence, name="team_cadence"),
    path(f"{P}teams/<uuid:team_id>/cycles/", cycles.team_cycles, name="team_cycles"),
    path(
        f"{P}teams/<uuid:team_id>/cycles/<uuid:cycle_id>/retrospective/",
        grading.team_retrospective,
        name="team_retrospective",
    ),
    path(
        f"{P}cycles/<uuid:cycle_id>/evaluation/",
        cycles.cycle_evaluation,
        name="cycle_evaluation",
    ),
]

# The coach: review as you type, apply a suggestion, dismiss a finding; its pages.
urlpatterns += [
    path(f"{P}coach/", coach.coach_report, name="coach_report"),
    path(f"{P}coach/accuracy/", coach.coach_accuracy, name="coach_accuracy"),
    path(
        f"{P}objectives/coach/review/",
        coach.new_objective_review,
        name="coach_new_objective_review",
    ),
    path(
        f"{P}objectives/coach/dismiss/",
        coach.new_objective_dismiss,
        name="coach_new_objective_dismiss",
    ),
    path(
        f"{P}objectives/<uuid:objective_id>/coach/review/",
        coach.objective_review,
        name="coach_objective_review",
    ),
    path(
        f"{P}objectives/<uuid:objective_id>/coach/dismiss/",
        coach.objective_dismiss,
        name="coach_objective_dismiss",
    ),
    path(
        f"{P}objectives/<uuid:objective_id>/key-results/coach/review/",
        coach.new_key_result_review,
        name="coach_new_key_result_review",
    ),
    path(
        f"{P}objectives/<uuid:objective_id>/key-results/coach/dismiss/",
        coach.new_key_result_dismiss,
        name="coach_new_key_result_dismiss",
    ),
    path(
        f"{P}key-results/<uuid:key_result_id>/coach/",
        coach.key_result_coach,
        name="coach_key_result",
    ),
    path(
        f"{P}key-results/<uuid:key_result_id>/coach/review/",
        coach.key_result_review,
        name="coach_key_result_review",
    ),
    path(
        f"{P}key-results/<uuid:key_result_id>/coach/dismiss/",
        coach.key_result_dismiss,
        name="coach_key_result_dismiss",
    ),
]
