"""Background work of the okrs app (run by `manage.py run_worker`)."""

from __future__ import annotations

from django_tasks import task

from .models import ExportJob
from .services import exports


@task()
def build_xlsx_export(*, job_id: int) -> int:
    """Build one XLSX export; returns its number of rows. Re-fetched by id, safe to run twice."""
    job = (
        ExportJob.all_orgs.select_related(
            "requested_by__organisation", "requested_by__user", "cycle"
        )
        .filter(pk=job_id)
        .first()
    )
    if job is None:  # the requester left the organisation: the job went with them
        return 0
    exports.build_xlsx_export(job)
    return ExportJob.all_orgs.values_list("rows_done", flat=True).get(pk=job_id)


@task()
def delete_expired_exports() -> int:
    """Delete export files past their retention (EXPORT_RETENTION_HOURS); hourly."""
    return exports.delete_expired_exports()
