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


# The export reads plain column values, never model instances: building ~160,000 instances
# (objectives, key results, their owners, users, teams, parents) with every column, the coach's
# JSON and timestamps included, took most of a 10,000-person export's time.
_OBJECTIVE_VALUES = {
    "objective": "title",
    "description": "description",
    "level": "level",
    "team": "team__name",
    "owner_email": "owner__user__email",
    "type": "type",
    "visibility": "visibility",
    "status": "status",
    "parent": "parent__title",
    "objective_weight": "weight",
    "owner": "owner__user__full_name",
    "objective_progress": "progress",
    "objective_score": "score",
}
_KEY_RESULT_VALUES = {
    "key_result": "title",
    "kr_owner_email": "owner__user__email",
    "kr_type": "kr_type",
    "unit_kind": "unit_kind",
    "unit_label": "unit_label",
    "direction": "direction",
    "baseline": "baseline",
    "target": "target",
    "stretch": "stretch",
    "commit_label": "commit_label",
    "target_label": "target_label",
    "stretch_label": "stretch_label",
    "kr_weight": "weight",
    "data_source": "data_source",
    "kr_owner": "owner__user__full_name",
    "current_value": "current_value",
    "kr_progress": "progress",
    "confidence": "confidence",
    "kr_score": "score",
    "score_reason": "score_reason",
}
# Free text a spreadsheet could take for a formula (emails cannot start with one of those).
_TEXT_COLUMNS = {
    "cycle",
    "objective",
    "description",
    "team",
    "parent",
    "owner",
    "key_result",
    "unit_label",
    "commit_label",
    "target_label",
    "stretch_label",
    "data_source",
    "kr_owner",
    "score_reason",
}


def _objective_chunks(
    actor: Membership, cycle: Cycle
) -> Iterator[list[tuple[int, dict[str, Cell]]]]:
    """The visible objectives' ids and cells, CHUNK objectives at a time, in the export's order."""
    objectives = (
        Objective.objects.for_org(actor.organisation)
        .visible_to(actor)
        .filter(cycle=cycle)
        .order_by("level", "position", "created_at", "pk")
    )
    # visible_to marks a parent the actor may not see; its title must not leave with the row.
    hides_parents = "parent_visible" in objectives.query.annotations
    fields = ["pk", *_OBJECTIVE_VALUES.values(), *(["parent_visible"] if hides_parents else [])]
    chunk: list[tuple[int, dict[str, Cell]]] = []
    for row in objectives.values(*fields).iterator(chunk_size=CHUNK):
        cells: dict[str, Cell] = {c: row[f] for c, f in _OBJECTIVE_VALUES.items()}
        cells["cycle"] = cycle.name
        if hides_parents and not row["parent_visible"]:
            cells["parent"] = None
        cells["team"] = cells["team"] or ""
        cells["parent"] = cells["parent"] or ""
        chunk.append((row["pk"], cells))
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _key_results_of(
    actor: Membership, objective_ids: list[int]
) -> dict[int, list[dict[str, Cell]]]:
    """The key results of these objectives, in their order, by objective id: one query."""
    by_objective: dict[int, list[dict[str, Cell]]] = {}
    rows = (
        KeyResult.objects.for_org(actor.organisation)
        .filter(objective_id__in=objective_ids)
        .order_by("objective_id", "position", "pk")
        .values("objective_id", *_KEY_RESULT_VALUES.values())
    )
    for row in rows:
        cells: dict[str, Cell] = {c: row[f] for c, f in _KEY_RESULT_VALUES.items()}
        by_objective.setdefault(row["objective_id"], []).append(cells)
    return by_objective


def _row(cells: dict[str, Cell]) -> list[Cell]:
    return [
        _text(v) if isinstance(v, str) and c in _TEXT_COLUMNS else v
        for c in EXPORT_COLUMNS
        for v in (cells.get(c),)
    ]


def cycle_rows(actor: Membership, cycle: Cycle) -> Iterator[list[Cell]]:
    """The header, then one row per key result of every objective the actor may see. Two
    queries per CHUNK objectives."""
    yield list(EXPORT_COLUMNS)
    for chunk in _objective_chunks(actor, cycle):
        key_results = _key_results_of(actor, [pk for pk, _cells in chunk])
        for pk, objective in chunk:
            for part in key_results.get(pk) or [{}]:
                yield _row({**objective, **part})


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
    return csv_pieces(cycle_rows(actor, cycle))


def csv_pieces(rows: Iterable[list[Cell]]) -> Iterator[bytes]:
    """These rows as CSV bytes, about a hundred rows a piece: the streamed download and the
    worker's file (services/exports.py) both write through here, so they cannot differ."""
    writer = csv.writer(_Line())
    # The byte-order mark makes spreadsheet programs read the file as UTF-8.
    yield "\ufeff".encode()
    batch: list[str] = []
    for row in rows:
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
