"""Exports built by the task worker (XLSX always, CSV above EXPORT_STREAM_MAX_ROWS rows): the
request only records the job; the worker writes the rows to a file on disk (memory bounded
whatever the size), reporting how many rows are done, and the person who asked downloads the
file once it is ready."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import slugify

from okrcoach.core.audit import audit
from okrcoach.orgs.models import Membership

from ..models import Cycle, ExportJob, KeyResult, Objective
from ..selectors.exporting import Cell, csv_pieces, cycle_rows, write_xlsx

logger = logging.getLogger(__name__)

# Progress is written every this many rows: one small UPDATE, not one per row.
PROGRESS_EVERY = 500

CONTENT_TYPES = {
    ExportJob.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportJob.Format.CSV: "text/csv; charset=utf-8",
}


def export_path(job: ExportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / job.file_name


def attachment_name(cycle: Cycle, format: str) -> str:
    """The file name offered to the browser for a cycle's export, streamed or built by a job."""
    return f"okrs-{slugify(cycle.name) or 'cycle'}.{format}"


def download_name(job: ExportJob) -> str:
    return attachment_name(job.cycle, job.format)


def _file_name(job: ExportJob) -> str:
    # requested_by.organisation: the task and the retention sweep both join it already.
    return f"exports/{job.requested_by.organisation.public_id}/{job.public_id}.{job.format}"


@transaction.atomic
def request_export(
    *, actor: Membership, cycle: Cycle, format: str = ExportJob.Format.XLSX
) -> ExportJob:
    """Record the job and queue it for the worker once this transaction commits."""
    from ..tasks import build_export

    job = ExportJob.objects.create(
        organisation=actor.organisation, requested_by=actor, cycle=cycle, format=format
    )
    audit(
        actor,
        "okrs.export.requested",
        job,
        data={"cycle": str(cycle.public_id), "format": job.format},
    )
    transaction.on_commit(partial(build_export.enqueue, job_id=job.pk))
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


def streams_at_once(actor: Membership, cycle: Cycle) -> bool:
    """Whether the CSV export may stream inside the request: gunicorn's sync worker keeps its
    timeout running while a response streams, so a cycle with more rows than
    EXPORT_STREAM_MAX_ROWS goes to the worker instead. Two counts."""
    return count_export_rows(actor, cycle) <= settings.EXPORT_STREAM_MAX_ROWS


class _Progress:
    """Passes the rows through, counting them and reporting every PROGRESS_EVERY."""

    def __init__(self, job: ExportJob, rows: Iterable[list[Cell]]) -> None:
        self.job = job
        self.rows = rows
        self.done = -1  # the header is not a row of data

    def __iter__(self) -> Iterator[list[Cell]]:
        for row in self.rows:
            yield row
            self.done += 1
            if self.done and self.done % PROGRESS_EVERY == 0:
                _progress(self.job, rows_done=self.done)


def _write_csv(rows: Iterable[list[Cell]], path: Path) -> None:
    with path.open("wb") as out:
        for piece in csv_pieces(rows):
            out.write(piece)


def _write_xlsx(rows: Iterable[list[Cell]], path: Path) -> None:
    with path.open("wb") as out:
        write_xlsx(rows, out)


_WRITERS = {ExportJob.Format.XLSX: _write_xlsx, ExportJob.Format.CSV: _write_csv}


def build_export(job: ExportJob) -> None:
    """Write the file to MEDIA_ROOT/exports/<org>/<job>.<format>. Safe to run twice: a
    finished job is left alone, an interrupted one starts again from the top."""
    if job.is_finished:
        return
    actor = job.requested_by
    name = _file_name(job)
    target = Path(settings.MEDIA_ROOT) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    partial_file = target.with_suffix(".part")
    total = count_export_rows(actor, job.cycle)
    _progress(job, status=ExportJob.Status.RUNNING, rows_total=total, rows_done=0)
    try:
        rows = _Progress(job, cycle_rows(actor, job.cycle))
        _WRITERS[ExportJob.Format(job.format)](rows, partial_file)
        os.replace(partial_file, target)
    except Exception as exc:
        partial_file.unlink(missing_ok=True)
        _progress(job, status=ExportJob.Status.FAILED, error=str(exc)[:300])
        logger.exception("Export %s failed", job.public_id)
        raise
    _progress(
        job,
        status=ExportJob.Status.DONE,
        rows_done=rows.done,
        rows_total=rows.done,
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
        name = job.file_name or _file_name(job)
        target = Path(settings.MEDIA_ROOT) / name
        target.unlink(missing_ok=True)
        target.with_suffix(".part").unlink(missing_ok=True)
        ExportJob.all_orgs.filter(pk=job.pk).delete()
        count += 1
    return count
