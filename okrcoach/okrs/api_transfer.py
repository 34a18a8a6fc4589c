"""Files in and out under /api/v1/okrs: import objectives with their key results from a CSV or
XLSX file (admins, as the Import page), and export a cycle as CSV or XLSX (anyone in the
organisation; private objectives only for those who may see them, as the Export link).

The import is a multipart upload (`file` and `cycle_id`), read with the page's own form so the
two agree on size, extension and which cycles accept an import."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.text import slugify
from ninja import Router, Schema, Status

from okrcoach.api.auth import actor
from okrcoach.core.api.body import multipart
from okrcoach.core.api.schemas import ErrorOut
from okrcoach.orgs.access import require_admin
from okrcoach.orgs.importing import ImportRejected

from .forms import OkrImportForm
from .selectors import exporting, lookups
from .services import importing

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


EXPORT_RESPONSE: dict[str, Any] = {
    "responses": {
        200: {
            "description": "The cycle's objectives and key results, one row per key result.",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            },
        }
    }
}


@router.get(
    "/cycles/{cycle_id}/export",
    response={404: ErrorOut, 422: ErrorOut},
    summary="Export a cycle as CSV or XLSX",
    openapi_extra=EXPORT_RESPONSE,
)
def export_cycle(
    request: HttpRequest, cycle_id: UUID, format: Literal["csv", "xlsx"] = "csv"
) -> HttpResponse:
    m = actor(request)
    cycle = lookups.get_cycle(m, cycle_id)
    name = f"okrs-{slugify(cycle.name) or 'cycle'}.{format}"
    if format == "csv":
        response = HttpResponse(
            exporting.cycle_csv(m, cycle), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(exporting.cycle_xlsx(m, cycle), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
