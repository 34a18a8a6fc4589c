"""Files in and out under /api/v1/okrs: import objectives with their key results from a CSV or
XLSX file (admins, as the Import page), and export a cycle as CSV or XLSX (anyone in the
organisation; private objectives only for those who may see them, as the Export link). CSV is
streamed; XLSX is an export job built by the task worker, as on the pages.

The import is a multipart upload (`file` and `cycle_id`), read with the page's own form so the
two agree on size, extension and which cycles accept an import."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from okrcoach.api.auth import actor
from okrcoach.core.api.body import multipart
from okrcoach.core.api.schemas import ErrorOut
from okrcoach.orgs.access import require_admin
from okrcoach.orgs.importing import ImportRejected

from .forms import OkrImportForm
from .models import Cycle, ExportJob
from .selectors import exporting, lookups
from .services import exports, importing

router = Router(tags=["okrs"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_FIELDS = {"cycle_id", "file"}


class ImportOut(Schema):
    objectives: int
    key_results: int


IMPORT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["cycle_id", "file"],
                    "additionalProperties": False,
                    "properties": {
                        "cycle_id": {
                            "type": "string",
                            "format": "uuid",
                            "description": "A cycle in planning or active.",
                        },
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "A .csv or .xlsx file of at most 2 MB: a header "
                            "row, then one row per key result (the Import page lists the "
                            "columns).",
                        },
                    },
                }
            }
        },
    }
}


def _renamed(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    return {("cycle_id" if k == "cycle" else k): v for k, v in errors.items()}


@router.post(
    "/import",
    response={201: ImportOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Import objectives and key results from a CSV or XLSX file (admins)",
    openapi_extra=IMPORT_BODY,
)
def import_okrs(request: HttpRequest) -> Status[Any]:
    """All rows are applied, or none: a file with errors is 422 with each error under
    `errors["rows.<line>.<column>"]`, and nothing is written."""
    m = actor(request)
    require_admin(m)
    fields, files = multipart(request, IMPORT_FIELDS)
    raw_cycle = fields.get("cycle_id", "")
    if not raw_cycle:
        raise ValidationError({"cycle_id": "Name the cycle to import into."})
    cycle = lookups.get_cycle(m, raw_cycle)
    form = OkrImportForm({"cycle": str(cycle.pk)}, files, actor=m)
    if not form.is_valid():
        raise ValidationError(_renamed({k: [str(e) for e in v] for k, v in form.errors.items()}))
    upload = form.cleaned_data["file"]
    try:
        result = importing.import_okrs(
            actor=m, cycle=form.cleaned_data["cycle"], data=upload.read(), filename=upload.name
        )
    except ImportRejected as exc:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(f"rows.{error.line}.{error.field}", []).append(error.message)
        raise ValidationError(errors or {"file": "The file was refused."}) from exc
    return Status(201, ImportOut(objectives=result.objectives, key_results=result.key_results))


class ExportJobOut(Schema):
    id: UUID
    cycle_id: UUID
    format: str = Field(description="xlsx or csv.")
    status: str = Field(description="queued, running, done or failed.")
    rows_done: int
    rows_total: int | None
    percent: int
    error: str
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime | None = Field(
        description="When the file is deleted (done jobs only); export again after that."
    )
    status_url: str
    download_url: str | None = Field(description="Set once the file is ready.")


def _job_out(request: HttpRequest, job: ExportJob) -> ExportJobOut:
    base = f"/api/v1/okrs/exports/{job.public_id}"
    ready = job.status == ExportJob.Status.DONE
    return ExportJobOut(
        id=job.public_id,
        cycle_id=job.cycle.public_id,
        format=job.format,
        status=job.status,
        rows_done=job.rows_done,
        rows_total=job.rows_total,
        percent=job.percent,
        error=job.error,
        created_at=job.created_at,
        finished_at=job.finished_at,
        expires_at=exports.expires_at(job),
        status_url=request.build_absolute_uri(base),
        download_url=request.build_absolute_uri(f"{base}/download") if ready else None,
    )


def _start(request: HttpRequest, cycle: Cycle, format: str) -> HttpResponse:
    m = actor(request)
    job = exports.request_export(actor=m, cycle=cycle, format=format)
    job = exporting.get_export_job(m, job.public_id)  # fresh: the worker may have run it
    body = _job_out(request, job)
    response = JsonResponse(body.model_dump(mode="json"), status=202)
    response["Location"] = body.status_url
    return response


EXPORT_RESPONSE: dict[str, Any] = {
    "responses": {
        200: {
            "description": "CSV of up to EXPORT_STREAM_MAX_ROWS (20,000) rows: the cycle's "
            "objectives and key results, one row per key result, streamed as it is read.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        202: {
            "description": "XLSX, or CSV of more rows: built by the task worker. The body "
            "is the export job (as `GET /okrs/exports/{job_id}`); poll `status_url` (also "
            "the `Location` header) until `download_url` is set. Prefer "
            "`POST /okrs/cycles/{cycle_id}/exports`.",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/ExportJobOut"}}
            },
        },
    }
}


@router.get(
    "/cycles/{cycle_id}/export",
    response={404: ErrorOut, 422: ErrorOut},
    summary="Export a cycle as CSV (streamed if small) or XLSX (a job for the task worker)",
    openapi_extra=EXPORT_RESPONSE,
)
def export_cycle(
    request: HttpRequest, cycle_id: UUID, format: Literal["csv", "xlsx"] = "csv"
) -> HttpResponse | StreamingHttpResponse:
    m = actor(request)
    cycle = lookups.get_cycle(m, cycle_id)
    if format == "xlsx" or not exports.streams_at_once(m, cycle):
        # A big export takes longer than a request may: the worker builds it.
        return _start(request, cycle, format)
    # Streamed: memory stays bounded and the first bytes leave at once, whatever the size.
    response = StreamingHttpResponse(
        exporting.cycle_csv_stream(m, cycle),
        content_type=exports.CONTENT_TYPES[ExportJob.Format.CSV],
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.attachment_name(cycle, ExportJob.Format.CSV)}"'
    )
    return response


@router.post(
    "/cycles/{cycle_id}/exports",
    response={202: ExportJobOut, 404: ErrorOut},
    summary="Start an XLSX or CSV export of a cycle (built by the task worker)",
)
def start_export(
    request: HttpRequest, cycle_id: UUID, format: Literal["csv", "xlsx"] = "xlsx"
) -> HttpResponse:
    """Answers the job at once; poll `status_url` until `download_url` is set. The file holds
    what you may see, so only you can read the job or download it; it is deleted at
    `expires_at`."""
    return _start(request, lookups.get_cycle(actor(request), cycle_id), format)


@router.get(
    "/exports/{job_id}",
    response={200: ExportJobOut, 404: ErrorOut},
    summary="An export job of yours: its progress, and its file once ready",
)
def export_job(request: HttpRequest, job_id: UUID) -> ExportJobOut:
    return _job_out(request, exporting.get_export_job(actor(request), job_id))


@router.get(
    "/exports/{job_id}/download",
    response={404: ErrorOut, 409: ErrorOut},
    summary="Download the file (XLSX or CSV) of a finished export job of yours",
    openapi_extra={
        "responses": {
            200: {
                "description": "The workbook or CSV file, streamed from disk.",
                "content": {
                    XLSX: {"schema": {"type": "string", "format": "binary"}},
                    "text/csv": {"schema": {"type": "string"}},
                },
            }
        }
    },
)
def download_export(request: HttpRequest, job_id: UUID) -> FileResponse:
    job = exporting.get_export_job(actor(request), job_id)
    if job.status != ExportJob.Status.DONE:
        raise HttpError(409, f"The export is {job.status}, not ready yet.")
    path = exports.export_path(job)
    if not path.exists():  # removed by the retention task between the two reads
        raise Http404("This export has expired.")
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=exports.download_name(job),
        content_type=exports.CONTENT_TYPES[ExportJob.Format(job.format)],
    )
