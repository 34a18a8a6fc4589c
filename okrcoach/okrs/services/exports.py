"""XLSX exports built by the task worker: the request only records the job; the worker writes
the rows into a write-only workbook on disk (memory bounded whatever the size), reporting how
many rows are done, and the person who asked downloads the file once it is ready."""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from openpyxl import Workbook

from okrcoach.core.audit import audit
from okrcoach.orgs.models import Membership

from ..models import Cycle, ExportJob, KeyResult, Objective
from ..selectors.exporting import cycle_rows, xlsx_cell

logger = logging.getLogger(__name__)

# Progress is written every this many rows: one small UPDATE, not one per row.
PROGRESS_EVERY = 500


def export_path(job: ExportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / job.file_name


@transaction.atomic
def request_xlsx_export(*, actor: Membership, cycle: Cycle) -> ExportJob:
    """Record the job and queue it for the worker once this transaction commits."""
    from ..tasks import build_xlsx_export

    job = ExportJob.objects.create(organisation=actor.organisation, requested_by=actor, cycle=cycle)
    audit(actor, "okrs.export.requested", job, data={"cycle": str(cycle.public_id)})
    transaction.on_commit(partial(build_xlsx_export.enqueue, job_id=job.pk))
    return job


def count_export_rows(actor: Membership, cycle: Cycle) -> int:
    """Rows of the export (without the header): a key result each, or one for an objective
    without key results. Two counts."""
    org = actor.organisation
    visible = Objective.objects.for_org(org).visible_to(actor).filter(cycle=cycle)
    krs = KeyResult.objects.for_org(org).filter(objective__in=visible.values("pk")).count()
    has_krs = KeyResult.objects.for_org(org).filter(objective=OuterRef("pk"))
    empty = visible.filter(~Exists(has_krs)).count()
    return krs + empty


def _progress(job: ExportJob, **fields: object) -> None:
    # all_orgs: progress is nobody's cached data, so it must not raise the organisation's
    # cache version (core/cache.py) every few hundred rows.
    ExportJob.all_orgs.filter(pk=job.pk).update(**fields)


def build_xlsx_export(job: ExportJob) -> None:
    """Write the workbook to MEDIA_ROOT/exports/<org>/<job>.xlsx. Safe to run twice: a
    finished job is left alone, an interrupted one starts again from the top."""
    if job.is_finished:
        return
    actor = job.requested_by
    name = f"exports/{actor.organisation.public_id}/{job.public_id}.xlsx"
    target = Path(settings.MEDIA_ROOT) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    partial_file = target.with_suffix(".part")
    total = count_export_rows(actor, job.cycle)
    _progress(job, status=ExportJob.Status.RUNNING, rows_total=total, rows_done=0)
    try:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("OKRs")
        sheet.freeze_panes = "A2"
        done = -1  # the header is not a row of data
        for row in cycle_rows(actor, job.cycle):
            sheet.append([xlsx_cell(v) for v in row])
            done += 1
            if done and done % PROGRESS_EVERY == 0:
                _progress(job, rows_done=done)
        book.save(partial_file)
        os.replace(partial_file, target)
    except Exception as exc:
        partial_file.unlink(missing_ok=True)
        _progress(job, status=ExportJob.Status.FAILED, error=str(exc)[:300])
        logger.exception("Export %s failed", job.public_id)
        raise
    _progress(
        job,
        status=ExportJob.Status.DONE,
        rows_done=done,
        rows_total=done,
        file_name=name,
        finished_at=timezone.now(),
    )


def expires_at(job: ExportJob) -> datetime | None:
    """When the retention task deletes a finished job's file."""
    if job.finished_at is None:
        return None
    return job.finished_at + timedelta(hours=settings.EXPORT_RETENTION_HOURS)


def delete_expired_exports(*, now: datetime | None = None) -> int:
    """Delete export jobs, and their files, older than EXPORT_RETENTION_HOURS: finished ones by
    when they finished, others (failed, or lost with a dead worker) by when they were asked
    for. Returns how many jobs went. Safe to run twice, or while exports run."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.EXPORT_RETENTION_HOURS)
    expired = ExportJob.all_orgs.filter(
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)
    ).select_related("requested_by__organisation")
    count = 0
    for job in expired.iterator(chunk_size=500):
        name = job.file_name or (
            f"exports/{job.requested_by.organisation.public_id}/{job.public_id}.xlsx"
        )
        target = Path(settings.MEDIA_ROOT) / name
        target.unlink(missing_ok=True)
        target.with_suffix(".part").unlink(missing_ok=True)
        ExportJob.all_orgs.filter(pk=job.pk).delete()
        count += 1
    return count
