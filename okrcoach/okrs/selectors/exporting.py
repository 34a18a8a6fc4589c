"""Export a cycle's objectives and key results as CSV or XLSX: one row per key result (an
objective without key results gets one row of its own). The first columns are the import
columns, so an export edited in a spreadsheet can be imported into another cycle; the rest are
the cycle's results (progress, confidence, scores). Only objectives the reader may see are
written. Two queries per 500 objectives: the rows are read in chunks and streamed, so memory
stays bounded whatever the size of the organisation."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from uuid import UUID

from django.db.models import Prefetch
from django.http import Http404
from openpyxl import Workbook

from okrcoach.orgs.models import Membership

from ..models import Cycle, ExportJob, KeyResult, Objective
from ..services.importing import COLUMNS

RESULT_COLUMNS = [
    "owner",
    "kr_owner",
    "objective_progress",
    "objective_score",
    "current_value",
    "kr_progress",
    "confidence",
    "kr_score",
    "score_reason",
]
EXPORT_COLUMNS = ["cycle", *COLUMNS, *RESULT_COLUMNS]

Cell = str | Decimal | int | None

# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


CHUNK = 500

# Characters XML 1.0 cannot hold: openpyxl refuses a cell with one (IllegalCharacterError) and
# the whole XLSX export failed for one pasted control character in a title or a name.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _objectives(actor: Membership, cycle: Cycle) -> Iterator[Objective]:
    org = actor.organisation
    krs = KeyResult.objects.for_org(org).select_related("owner__user").order_by("position", "pk")
    return (
        Objective.objects.for_org(org)
        .visible_to(actor)
        .filter(cycle=cycle)
        .select_related("owner__user", "team", "parent")
        .prefetch_related(Prefetch("key_results", queryset=krs))
        .order_by("level", "position", "created_at", "pk")
        .iterator(chunk_size=CHUNK)
    )


def _objective_cells(cycle: Cycle, o: Objective) -> dict[str, Cell]:
    return {
        "cycle": _text(cycle.name),
        "objective": _text(o.title),
        "description": _text(o.description),
        "level": o.level,
        "team": _text(o.team.name) if o.team else "",
        "owner_email": o.owner.user.email,
        "type": o.type,
        "visibility": o.visibility,
        "status": o.status,
        "parent": _text(o.parent.title) if o.parent else "",
        "objective_weight": o.weight,
        "owner": _text(o.owner.user.full_name),
        "objective_progress": o.progress,
        "objective_score": o.score,
    }


def _key_result_cells(kr: KeyResult) -> dict[str, Cell]:
    return {
        "key_result": _text(kr.title),
        "kr_owner_email": kr.owner.user.email,
        "kr_type": kr.kr_type,
        "unit_kind": kr.unit_kind,
        "unit_label": _text(kr.unit_label),
        "direction": kr.direction,
        "baseline": kr.baseline,
        "target": kr.target,
        "stretch": kr.stretch,
        "commit_label": _text(kr.commit_label),
        "target_label": _text(kr.target_label),
        "stretch_label": _text(kr.stretch_label),
        "kr_weight": kr.weight,
        "data_source": _text(kr.data_source),
        "kr_owner": _text(kr.owner.user.full_name),
        "current_value": kr.current_value,
        "kr_progress": kr.progress,
        "confidence": kr.confidence,
        "kr_score": kr.score,
        "score_reason": _text(kr.score_reason),
    }


def cycle_rows(actor: Membership, cycle: Cycle) -> Iterator[list[Cell]]:
    """The header, then one row per key result of every objective the actor may see."""
    yield list(EXPORT_COLUMNS)
    for objective in _objectives(actor, cycle):
        base = _objective_cells(cycle, objective)
        parts = [_key_result_cells(kr) for kr in objective.key_results.all()] or [{}]
        for part in parts:
            cells = {**base, **part}
            yield [cells.get(c) for c in EXPORT_COLUMNS]


def _plain(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


class _Line:
    """csv.writer writes into this and gets the line back, for streaming."""

    def write(self, value: str) -> str:
        return value


def cycle_csv_stream(actor: Membership, cycle: Cycle) -> Iterator[bytes]:
    """The CSV file in pieces of about a hundred rows, for a StreamingHttpResponse."""
    writer = csv.writer(_Line())
    # The byte-order mark makes spreadsheet programs read the file as UTF-8.
    yield "\ufeff".encode()
    batch: list[str] = []
    for row in cycle_rows(actor, cycle):
        batch.append(writer.writerow([_plain(v) for v in row]))
        if len(batch) >= 100:
            yield "".join(batch).encode("utf-8")
            batch = []
    if batch:
        yield "".join(batch).encode("utf-8")


def cycle_csv(actor: Membership, cycle: Cycle) -> bytes:
    return b"".join(cycle_csv_stream(actor, cycle))


def xlsx_cell(value: Cell) -> str | float | int | None:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return _ILLEGAL_XML.sub("", value)
    return value


def write_xlsx(rows: Iterable[list[Cell]], out: io.BufferedIOBase | io.BytesIO) -> None:
    """A write-only workbook: rows go to a temporary file as they come, not into memory."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("OKRs")
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([xlsx_cell(v) for v in row])
    book.save(out)


def cycle_xlsx(actor: Membership, cycle: Cycle) -> bytes:
    out = io.BytesIO()
    write_xlsx(cycle_rows(actor, cycle), out)
    return out.getvalue()


def get_export_job(actor: Membership, job_id: UUID) -> ExportJob:
    """One of the actor's own export jobs; anyone else's (or another organisation's) is a 404,
    since the file holds what its requester may see."""
    job = (
        ExportJob.objects.for_org(actor.organisation)
        .select_related("cycle")
        .filter(requested_by=actor, public_id=job_id)
        .first()
    )
    if job is None:
        raise Http404("No such export.")
    return job
