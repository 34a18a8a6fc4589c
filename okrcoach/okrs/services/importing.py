"""Import objectives with their key results into a cycle from a CSV or XLSX file.

One row per key result; the objective columns repeat on each of its rows (a row with an empty
`key_result` is an objective without key results yet). The whole file is checked first; then every
objective and key result goes through the same services as the editor, inside one transaction,
so a file applies whole or not at all and every bad row is reported with its line and column."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from okrcoach.core import bounds
from okrcoach.core.audit import audit, audit_many
from okrcoach.core.tasks import enqueue_on_commit
from okrcoach.orgs.access import ensure_same_org, require_admin
from okrcoach.orgs.importing import ImportRejected, RowError, csv_lines
from okrcoach.orgs.models import Membership, Organisation, Team

from .. import rollup
from ..models import Cycle, KeyResult, Objective
from .key_results import KeyResultData, prepare_key_result
from .objectives import ObjectiveData, prepare_objective

MAX_ROWS = 2000

OBJECTIVE_COLUMNS = [
    "objective",
    "description",
    "level",
    "team",
    "owner_email",
    "type",
    "visibility",
    "status",
    "parent",
    "objective_weight",
]
KEY_RESULT_COLUMNS = [
    "key_result",
    "kr_owner_email",
    "kr_type",
    "unit_kind",
    "unit_label",
    "direction",
    "baseline",
    "target",
    "stretch",
    "commit_label",
    "target_label",
    "stretch_label",
    "kr_weight",
    "data_source",
]
COLUMNS = OBJECTIVE_COLUMNS + KEY_RESULT_COLUMNS
REQUIRED = ["objective", "owner_email", "key_result"]

# (column, choices, default): a choice column may be empty and then takes the default.
_CHOICES: list[tuple[str, list[str], str]] = [
    ("level", Objective.Level.values, Objective.Level.TEAM),
    ("type", Objective.Type.values, Objective.Type.COMMITTED),
    ("visibility", Objective.Visibility.values, Objective.Visibility.PUBLIC),
    ("status", [Objective.Status.DRAFT, Objective.Status.PUBLISHED], Objective.Status.DRAFT),
    ("kr_type", KeyResult.KRType.values, KeyResult.KRType.METRIC),
    ("unit_kind", KeyResult.UnitKind.values, KeyResult.UnitKind.NUMBER),
    ("direction", KeyResult.Direction.values, KeyResult.Direction.INCREASE),
]
_DECIMALS = ["baseline", "target", "stretch", "objective_weight", "kr_weight"]
_WEIGHTS = ["objective_weight", "kr_weight"]


@dataclass
class OkrImportResult:
    objectives: int = 0
    key_results: int = 0


@dataclass
class _PlannedObjective:
    line: int
    key: str
    row: dict[str, str]
    lines: list[int] = field(default_factory=list)
    key_results: list[tuple[int, dict[str, str]]] = field(default_factory=list)


# --- reading -------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# Reading stops, and the file is refused, past this many lines (blank ones included): a small
# file that expands to a million rows is refused after reading a few thousand.
MAX_LINES_READ = 4 * MAX_ROWS
MAX_COLUMNS_READ = 100
# An XLSX file is a zip of XML parts: refuse one that expands beyond this, or whose XML
# declares a document type (entities), before openpyxl parses anything.
MAX_XLSX_EXPANDED_BYTES = 64 * 1024 * 1024
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_UNREADABLE = _("This is not a readable XLSX workbook.")


def _check_xlsx_parts(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if sum(p.file_size for p in parts) > MAX_XLSX_EXPANDED_BYTES:
                raise ImportRejected([RowError(1, "file", _("This workbook is too large."))])
            for part in parts:
                if not part.filename.lower().endswith((".xml", ".rels")):
                    continue
                with archive.open(part) as stream:
                    tail = b""
                    while chunk := stream.read(1 << 16):
                        if _DTD.search(tail + chunk):
                            raise ImportRejected(
                                [
                                    RowError(
                                        1, "file", _("This workbook declares a DTD; save it again.")
                                    )
                                ]
                            )
                        tail = chunk[-16:]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportRejected([RowError(1, "file", _UNREADABLE)]) from exc


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows, streamed (openpyxl read-only mode), at most MAX_LINES_READ."""
    _check_xlsx_parts(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a malformed part
        raise ImportRejected([RowError(1, "file", _UNREADABLE)]) from exc
    try:
        if not book.worksheets:
            raise ImportRejected([RowError(1, "file", _UNREADABLE)])
        rows = book.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS_READ)
        number = 0
        while True:
            try:
                values = next(rows, None)
            except ImportRejected:
                raise
            except Exception as exc:  # a malformed sheet part, met while streaming
                raise ImportRejected([RowError(number + 1, "file", _UNREADABLE)]) from exc
            if values is None:
                return
            number += 1
            if number > MAX_LINES_READ:
                raise ImportRejected([RowError(number, "file", _("The file has too many lines."))])
            yield number, [bounds.strip_control_characters(_cell(v)) for v in values]
    finally:
        book.close()


def read_rows(data: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """Rows as {column: text} with their line number in the file; the header is line 1.
    Unknown columns (such as those an export adds) are ignored. The file is streamed and the
    row limit applies while reading."""
    is_xlsx = filename.lower().endswith(".xlsx") or data[:2] == b"PK"
    lines = _xlsx_lines(data) if is_xlsx else csv_lines(data, max_lines=MAX_LINES_READ)
    first = next(lines, None)
    columns = [h.strip().lower() for h in (first[1] if first else [])]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ImportRejected([RowError(1, c, _("Missing column.")) for c in missing])
    rows: list[tuple[int, dict[str, str]]] = []
    for line, values in lines:
        row = {c: (v or "").strip() for c, v in zip(columns, values, strict=False) if c in COLUMNS}
        if not any(row.values()):
            continue
        rows.append((line, row))
        if len(rows) > MAX_ROWS:
            raise ImportRejected(
                [RowError(line, "file", _("At most %(n)d rows per file.") % {"n": MAX_ROWS})]
            )
    if not rows:
        raise ImportRejected([RowError(1, "file", _("The file has no rows."))])
    return rows


# --- checking ------------------------------------------------------------------------------


def _members_named(
    org: Organisation, rows: list[tuple[int, dict[str, str]]]
) -> dict[str, Membership]:
    """The active members the file names as owners, by lower-cased email, with their user and
    team (a personal objective takes its owner's team): one query whatever the number of
    owners, reading only the members named, not every member of the organisation."""
    named = {
        row.get(c, "").lower() for _line, row in rows for c in ("owner_email", "kr_owner_email")
    } - {""}
    found = (
        Membership.objects.for_org(org)
        .filter(is_active=True)
        .annotate(email_lower=Lower("user__email"))
        .filter(email_lower__in=named)
        .select_related("user", "team")
    )
    return {m.user.email.lower(): m for m in found}


def _check_cells(
    line: int, row: dict[str, str], members: dict[str, Membership], teams: dict[str, Team]
) -> list[RowError]:
    errors: list[RowError] = []
    if not row.get("objective"):
        errors.append(RowError(line, "objective", _("Required.")))
    elif len(row["objective"]) > 200:
        errors.append(RowError(line, "objective", _("At most 200 characters.")))
    if len(row.get("key_result", "")) > 200:
        errors.append(RowError(line, "key_result", _("At most 200 characters.")))
    for column in ("owner_email", "kr_owner_email"):
        email = row.get(column, "").lower()
        if column == "owner_email" and not email:
            errors.append(RowError(line, column, _("Required.")))
        elif email and email not in members:
            errors.append(RowError(line, column, _("No active member with this email.")))
    team = row.get("team", "").lower()
    if team and team not in teams:
        errors.append(RowError(line, "team", _("No team named “%(t)s”.") % {"t": row["team"]}))
    for column, choices, _default in _CHOICES:
        value = row.get(column, "").lower()
        if value and value not in choices:
            errors.append(
                RowError(line, column, _("Use one of: %(c)s.") % {"c": ", ".join(choices)})
            )
    for column in _DECIMALS:
        value = row.get(column, "")
        if not value:
            continue
        try:
            number = Decimal(value)
        except InvalidOperation:
            errors.append(RowError(line, column, _("Not a number.")))
            continue
        if not number.is_finite():
            errors.append(RowError(line, column, _("Not a number.")))
        elif column not in _WEIGHTS and (message := bounds.value_error(number)):
            errors.append(RowError(line, column, message))
        elif column in _WEIGHTS and not Decimal("0.01") <= number <= Decimal("100"):
            errors.append(RowError(line, column, _("A weight runs from 0.01 to 100.")))
    return errors


def _plan(
    rows: list[tuple[int, dict[str, str]]],
) -> tuple[dict[str, _PlannedObjective], list[RowError]]:
    """Group rows by objective title; the objective's own columns must agree on every row."""
    planned: dict[str, _PlannedObjective] = {}
    errors: list[RowError] = []
    for line, row in rows:
        key = row.get("objective", "").lower()
        if not key:
            continue
        item = planned.get(key)
        if item is None:
            item = planned[key] = _PlannedObjective(line=line, key=key, row=row)
        else:
            for column in OBJECTIVE_COLUMNS:
                if row.get(column, "") and row.get(column, "") != item.row.get(column, ""):
                    errors.append(
                        RowError(
                            line,
                            column,
                            _("Differs from line %(n)d for the same objective.") % {"n": item.line},
                        )
                    )
        item.lines.append(line)
        if row.get("key_result"):
            item.key_results.append((line, row))
    return planned, errors


def _choice(row: dict[str, str], column: str) -> str:
    default = next(d for c, _ch, d in _CHOICES if c == column)
    return row.get(column, "").lower() or default


def _decimal(row: dict[str, str], column: str, default: Decimal | None = None) -> Decimal | None:
    value = row.get(column, "")
    return Decimal(value) if value else default


def _errors_from(
    line: int, exc: ValidationError | PermissionDenied, rename: dict[str, str]
) -> list[RowError]:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return [
            RowError(line, rename.get(f, f), " ".join(str(m) for m in msgs))
            for f, msgs in exc.message_dict.items()
        ]
    messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
    return [RowError(line, "row", " ".join(messages))]


_OBJECTIVE_RENAME = {"title": "objective", "owner": "owner_email", "weight": "objective_weight"}
_KR_RENAME = {"title": "key_result", "owner": "kr_owner_email", "weight": "kr_weight"}


def _order(
    planned: dict[str, _PlannedObjective], existing: set[str]
) -> tuple[list[_PlannedObjective], list[RowError]]:
    """Parents first: a row whose parent is another row of the file waits for it."""
    ordered: list[_PlannedObjective] = []
    placed: set[str] = set()
    pending = list(planned.values())
    errors: list[RowError] = []
    for item in pending:
        parent = item.row.get("parent", "").lower()
        if parent and parent not in planned and parent not in existing:
            errors.append(
                RowError(
                    item.line,
                    "parent",
                    _("No objective titled “%(p)s” in this cycle or file.")
                    % {"p": item.row["parent"]},
                )
            )
        elif parent == item.key:
            errors.append(RowError(item.line, "parent", _("An objective cannot align to itself.")))
    if errors:
        return [], errors
    while pending:
        ready = [
            i
            for i in pending
            if not i.row.get("parent")
            or i.row["parent"].lower() not in planned
            or i.row["parent"].lower() in placed
        ]
        if not ready:
            return [], [
                RowError(i.line, "parent", _("Objectives in this file align in a loop."))
                for i in pending
            ]
        for item in ready:
            ordered.append(item)
            placed.add(item.key)
            pending.remove(item)
    return ordered, []


# --- applying ------------------------------------------------------------------------------


def _objective_data(
    item: _PlannedObjective,
    members: dict[str, Membership],
    teams: dict[str, Team],
    parents: dict[str, Objective],
) -> ObjectiveData:
    row = item.row
    return ObjectiveData(
        title=row["objective"],
        description=row.get("description", ""),
        level=_choice(row, "level"),
        team=teams.get(row.get("team", "").lower()),
        owner=members[row["owner_email"].lower()],
        type=_choice(row, "type"),
        visibility=_choice(row, "visibility"),
        weight=_decimal(row, "objective_weight", Decimal("1")) or Decimal("1"),
        status=_choice(row, "status"),
        parent=parents.get(row.get("parent", "").lower()),
    )


def _key_result_data(row: dict[str, str], members: dict[str, Membership]) -> KeyResultData:
    return KeyResultData(
        title=row["key_result"],
        owner=members.get(row.get("kr_owner_email", "").lower()),
        kr_type=_choice(row, "kr_type"),
        unit_kind=_choice(row, "unit_kind"),
        unit_label=row.get("unit_label", "")[:30],
        direction=_choice(row, "direction"),
        baseline=_decimal(row, "baseline"),
        target=_decimal(row, "target"),
        stretch=_decimal(row, "stretch"),
        commit_label=row.get("commit_label", "")[:200],
        target_label=row.get("target_label", "")[:200],
        stretch_label=row.get("stretch_label", "")[:200],
        weight=_decimal(row, "kr_weight", Decimal("1")) or Decimal("1"),
        data_source=row.get("data_source", "")[:300],
    )


def _sorted(errors: Iterable[RowError]) -> list[RowError]:
    return sorted(
        errors, key=lambda e: (e.line, COLUMNS.index(e.field) if e.field in COLUMNS else 99)
    )


def import_okrs(*, actor: Membership, cycle: Cycle, data: bytes, filename: str) -> OkrImportResult:
    """Admins only. All objectives and key results of the file are created, or none is.

    Everything is read, checked and prepared (the same checks as the editor's services) before
    the write transaction starts; the transaction then only inserts, in bulk: a few queries per
    500 rows, so on SQLite the database's write lock is held for well under a second per
    thousand rows instead of the whole import."""
    require_admin(actor)
    ensure_same_org(actor, cycle)
    if not cycle.is_editable:
        raise ImportRejected(
            [RowError(1, "cycle", _("This cycle no longer accepts new objectives."))]
        )
    org = actor.organisation
    rows = read_rows(data, filename)
    members = _members_named(org, rows)
    teams = {t.name.lower(): t for t in Team.objects.for_org(org)}
    errors = [e for line, row in rows for e in _check_cells(line, row, members, teams)]
    planned, plan_errors = _plan(rows)
    errors += plan_errors
    # Titles only: the cycle may hold thousands of objectives; the few the file aligns to are
    # read whole below.
    titles: dict[str, list[int]] = {}
    for pk, title in Objective.objects.for_org(org).filter(cycle=cycle).values_list("pk", "title"):
        titles.setdefault(title.lower(), []).append(pk)
    for key, item in planned.items():
        if key in titles:
            errors.append(
                RowError(
                    item.line, "objective", _("This cycle already has an objective so titled.")
                )
            )
    ordered, order_errors = _order(planned, set(titles))
    errors += order_errors
    if errors:
        raise ImportRejected(_sorted(errors))
    named = {item.row.get("parent", "").lower() for item in ordered}
    parent_ids = [titles[k][0] for k in named if len(titles.get(k, ())) == 1]
    parents = {o.title.lower(): o for o in Objective.objects.for_org(org).filter(pk__in=parent_ids)}
    prepared: list[tuple[_PlannedObjective, Objective, list[KeyResult]]] = []
    for item in ordered:
        parent_key = item.row.get("parent", "").lower()
        if parent_key in titles and len(titles[parent_key]) > 1:
            errors.append(
                RowError(item.line, "parent", _("Several objectives have this title; rename one."))
            )
            continue
        try:
            objective = prepare_objective(
                actor=actor,
                cycle=cycle,
                data=_objective_data(item, members, teams, parents),
                bulk=True,
                review=False,
            )
        except (ValidationError, PermissionDenied) as exc:
            errors += _errors_from(item.line, exc, _OBJECTIVE_RENAME)
            continue
        parents[item.key] = objective
        key_results: list[KeyResult] = []
        for line, row in item.key_results:
            try:
                key_results.append(
                    prepare_key_result(
                        actor=actor,
                        objective=objective,
                        data=_key_result_data(row, members),
                        bulk=True,
                        review=False,
                    )
                )
            except (ValidationError, PermissionDenied) as exc:
                errors += _errors_from(line, exc, _KR_RENAME)
        prepared.append((item, objective, key_results))
    if errors:
        raise ImportRejected(_sorted(errors))
    return _write(actor=actor, cycle=cycle, prepared=prepared)


BATCH = 500


@transaction.atomic
def _write(
    *,
    actor: Membership,
    cycle: Cycle,
    prepared: list[tuple[_PlannedObjective, Objective, list[KeyResult]]],
) -> OkrImportResult:
    """Insert what import_okrs prepared: objectives one depth of the alignment tree at a time
    (a parent needs its id before its children are inserted), then every key result, the
    progress of the objectives touched, and the audit rows, all in bulk."""
    org = actor.organisation
    new = [objective for _item, objective, _krs in prepared]
    new_ids = {id(o) for o in new}
    remaining = list(new)
    while remaining:
        # Parents first: a row whose parent is also new waits until the parent has an id.
        ready = [o for o in remaining if o.parent is None or o.parent.pk is not None]
        for o in ready:
            o.parent_id = o.parent.pk if o.parent is not None else None
        Objective.objects.for_org(org).bulk_create(ready, batch_size=BATCH)
        remaining = [o for o in remaining if o.pk is None]
    key_results = [kr for _item, _o, krs in prepared for kr in krs]
    for kr in key_results:
        kr.objective_id = kr.objective.pk
    KeyResult.objects.for_org(org).bulk_create(key_results, batch_size=BATCH)
    touched = {o.pk for o in new} | {
        o.parent_id for o in new if o.parent_id is not None and id(o.parent) not in new_ids
    }
    rollup.refresh_objectives(org, objective_ids=sorted(touched))
    audit_many(actor, "okrs.objective.created", new)
    audit_many(actor, "okrs.key_result.created", key_results)
    from ..tasks import review_imported_rows  # the tasks module builds on the services

    # The coach's review runs in the task worker once this commits (it was more than half of an
    # import's time); the task's row is written in this transaction, so a failed import queues
    # nothing and a committed one cannot lose its review.
    enqueue_on_commit(
        review_imported_rows, organisation_id=org.pk, objective_ids=[o.pk for o in new]
    )
    result = OkrImportResult(objectives=len(new), key_results=len(key_results))
    audit(
        actor,
        "okrs.import.objectives",
        cycle,
        data={"objectives": result.objectives, "key_results": result.key_results},
    )
    return result
