"""Background work of the okrs app (run by `manage.py run_worker`)."""

from __future__ import annotations

from django_tasks import task

from okrcoach.orgs.models import Organisation

from . import rollup
from .models import ExportJob
from .services import coach, exports


@task()
def build_export(*, job_id: int) -> int:
    """Build one export (XLSX or CSV); returns its number of rows. Re-fetched by id, safe to
    run twice."""
    job = (
        ExportJob.all_orgs.select_related(
            "requested_by__organisation", "requested_by__user", "cycle"
        )
        .filter(pk=job_id)
        .first()
    )
    if job is None:  # the requester left the organisation: the job went with them
        return 0
    exports.build_export(job)
    return ExportJob.all_orgs.values_list("rows_done", flat=True).get(pk=job_id)


@task()
def build_xlsx_export(*, job_id: int) -> int:
    """The task's former name: jobs queued before the rename still run."""
    return build_export.call(job_id=job_id)


@task()
def delete_expired_exports() -> int:
    """Delete export files past their retention (EXPORT_RETENTION_HOURS); hourly."""
    return exports.delete_expired_exports()


@task()
def recompute_objectives(
    *, organisation_id: int, objective_ids: list[int], key_result_ids: list[int]
) -> int:
    """Recompute these objectives, those linking to these key results and their ancestors from
    the stored key results (rollup.refresh_objectives): the repair a check-in queued when its
    roll-up failed after the check-in committed (until session 25; a check-in and its roll-up
    now commit together, services.check_ins _ONE_TRANSACTION, and queue none; rows queued
    before still run). Returns how many objectives moved; safe to run twice (it only writes
    what the stored values give)."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:  # the organisation was deleted since
        return 0
    # refresh_objectives runs in a transaction of its own: the locks last until the write commits.
    moved = rollup.refresh_objectives(
        organisation, objective_ids=objective_ids, key_result_ids=key_result_ids
    )
    return len(moved)


@task()
def review_imported_rows(*, organisation_id: int, objective_ids: list[int]) -> int:
    """The coach's review of an import's objectives and key results, stored after the import
    committed (services.coach.review_pending_rows); until then their badges read "review
    pending". Returns the rows reviewed; safe to run twice."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:  # the organisation was deleted since
        return 0
    return coach.review_pending_rows(organisation, objective_ids=objective_ids)
