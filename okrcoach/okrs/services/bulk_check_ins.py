"""Bulk check-in (the API's bulk endpoint): up to 500 check-ins in one transaction, all or none,
with exactly the result of recording them one at a time (okrs/tests/test_bulk_writes.py).

Set-based and on plain rows: one query reads and locks every key result named, with the few
facts of its objective, cycle, team and owner that recording needs, as tuples (building the key
results with their objective, cycle, team and owner as models was the largest part of a batch's
CPU: ~2,500 instances for 500 rows); the rules then run on those rows, and the key results'
figures and the new check-ins are written from them in one statement each (core/bulk.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast
from uuid import UUID, uuid4

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from okrcoach.core.audit import audit
from okrcoach.core.bulk import among, insert_rows, update_rows
from okrcoach.orgs.access import ensure_same_org
from okrcoach.orgs.models import Membership, Team

from .. import permissions, rollup
from ..cadence import team_cadences
from ..models import CheckIn, Cycle, KeyResult, Objective
from ..signals import CheckInWritten, key_results_changed
from .check_ins import (
    _KR_CHECK_IN_FIELDS,
    BULK_CHECK_IN_LIMIT,
    CheckInData,
    _apply_check_in_to_kr,
    _check_check_in,
)

# What recording reads of each key result, in one query (the row's slots, in this order).
_READ = (
    "pk",
    "public_id",
    "objective_id",
    "owner_id",
    "kr_type",
    "unit_kind",
    "baseline",
    "target",
    "current_value",
    "milestone_done",
    "ordinal_level",
    "objective__organisation_id",
    "objective__owner_id",
    "objective__team_id",
    "objective__team__lead_id",
    "owner__team_id",
    "objective__cycle_id",
    "objective__cycle__state",
    "objective__cycle__starts_on",
)

_CHECK_IN_COLUMNS = (
    "organisation",
    "public_id",
    "key_result",
    "author",
    "value",
    "milestone_done",
    "ordinal_level",
    "confidence",
    "progress_note",
    "plans_note",
    "problems_note",
    "progress",
    "created_at",
)


@dataclass(slots=True)
class _Row:
    """One key result as the bulk check-in reads and changes it."""

    pk: int
    public_id: UUID
    objective_id: int
    owner_id: int | None
    kr_type: str
    unit_kind: str
    baseline: Decimal | None
    target: Decimal | None
    current_value: Decimal | None
    milestone_done: bool
    ordinal_level: int
    objective_org_id: int
    objective_owner_id: int
    objective_team_id: int | None
    objective_team_lead_id: int | None
    owner_team_id: int | None
    cycle_id: int
    cycle_state: str
    cycle_starts_on: date
    progress: Decimal = Decimal(0)
    progress_raw: Decimal = Decimal(0)
    confidence: int = 0
    next_check_in_due: date | None = None
    last_check_in_at: datetime | None = None


def _load(actor: Membership, *, pks: Sequence[int] = (), public_ids: Sequence[UUID] = ()) -> Any:
    """The key results named (by primary key, or by public id among those the actor may see),
    locked in primary-key order (two writers then lock shared rows in one order) and read under
    the lock, as tuples. On SQLite every write transaction holds the database's write lock."""
    rows = KeyResult.objects.for_org(actor.organisation)
    if public_ids:
        rows = rows.visible_to(actor).filter(among(KeyResult, "public_id", public_ids))
    else:
        rows = rows.filter(among(KeyResult, "id", pks))
    return rows.select_for_update(of=("self",)).order_by("pk").values_list(*_READ)


def _may_check_in(actor: Membership, reach: permissions.Reach | None, row: _Row) -> bool:
    """permissions.require_check_in's rule on a row: the owner; else whoever may edit the
    objective (Reach.can_edit: admins, its owner, their managers, the lead of its team)."""
    if row.owner_id == actor.pk:
        return True
    if actor.is_admin or reach is None:  # reach is None only when the actor is an admin
        return row.objective_org_id == actor.organisation_id and actor.is_admin
    objective = Objective(
        pk=row.objective_id,
        organisation_id=row.objective_org_id,
        owner_id=row.objective_owner_id,
        team_id=row.objective_team_id,
    )
    if row.objective_team_id is not None:
        objective.team = Team(
            pk=row.objective_team_id,
            organisation_id=row.objective_org_id,
            lead_id=row.objective_team_lead_id,
        )
    return reach.can_edit(objective)


def _apply(row: _Row, data: CheckInData, cycles: dict[int, Cycle]) -> None:
    """check_ins._record's checks and arithmetic on a row (raises as it raises)."""
    if not cycles[row.cycle_id].accepts_check_ins:
        raise ValidationError({"value": _("Check-ins are open only while the cycle is active.")})
    # _check_check_in and _apply_check_in_to_kr read and set only fields the row has (kr_type,
    # unit_kind, baseline, target, the values, progress, progress_raw, confidence).
    _check_check_in(cast(KeyResult, row), data)
    _apply_check_in_to_kr(cast(KeyResult, row), data)


def _record(
    actor: Membership, rows: list[_Row], items: Sequence[CheckInData], now: datetime
) -> int:
    """Check every row in order (the first refusal raises, keyed `items.<index>.<field>`), then
    write the key results, the check-ins, the roll-up, the audit row and the snapshots."""
    org = actor.organisation
    cycles: dict[int, Cycle] = {}
    for row in rows:
        if row.cycle_id not in cycles:
            cycles[row.cycle_id] = Cycle(
                pk=row.cycle_id,
                organisation_id=org.pk,
                state=row.cycle_state,
                starts_on=row.cycle_starts_on,
            )
    # The cadence's team (cadence.cadence_team_id): the objective's team, else the owner's.
    overrides = team_cadences(org, (r.objective_team_id or r.owner_team_id for r in rows))
    today = timezone.localdate(now)
    # Someone else's key results: the reporting line read once (one query), not once a row.
    others = not actor.is_admin and any(r.owner_id != actor.pk for r in rows)
    reach = permissions.Reach(actor) if others else None
    denied = _("Only the key result's owner and the objective's editors can check in.")
    check_ins: list[tuple[Any, ...]] = []
    written: list[CheckInWritten] = []
    for index, (row, data) in enumerate(zip(rows, items, strict=True)):
        if not _may_check_in(actor, reach, row):
            raise PermissionDenied(denied)
        try:
            _apply(row, data, cycles)
        except ValidationError as exc:
            raise ValidationError(
                {f"items.{index}.{k}": v for k, v in exc.message_dict.items()}
            ) from exc
        team_id = row.objective_team_id or row.owner_team_id
        days = (overrides.get(team_id) if team_id else None) or org.check_in_cadence_days
        row.next_check_in_due = today + timedelta(days=days)  # cadence.next_due
        row.last_check_in_at = now
        check_ins.append(
            (
                org.pk,
                uuid4(),
                row.pk,
                actor.pk,
                data.value,
                data.milestone_done,
                data.ordinal_level,
                data.confidence,
                data.progress_note.strip(),
                data.plans_note.strip(),
                data.problems_note.strip(),
                row.progress,
                now,
            )
        )
        written.append(
            CheckInWritten(
                key_result_id=row.pk,
                cycle=cycles[row.cycle_id],
                owner_team_id=row.owner_team_id,
                created_at=now,
                confidence=data.confidence,
                progress=row.progress,
            )
        )
    # One set-based UPDATE for all key results; a key result named twice keeps its last
    # check-in's state (its row is the same object), written once.
    latest = {row.pk: row for row in rows}
    update_rows(
        KeyResult,
        org.pk,
        _KR_CHECK_IN_FIELDS,
        [(r.pk, *(getattr(r, name) for name in _KR_CHECK_IN_FIELDS)) for r in latest.values()],
    )
    insert_rows(CheckIn, org.pk, _CHECK_IN_COLUMNS, check_ins)
    # The roll-up every path shares (rollup._LOCKED_BEFORE_THE_READ): the objectives of these
    # key results, those their links reach and their ancestors, locked, then read and written
    # set-based; after the key results' locks, as every other path takes them. A chain that
    # moved under its locks (rollup._CHAIN_MOVED) rolls the whole transaction back and the
    # batch runs again (retry_if_chain_moved below; it reads its rows again under the locks),
    # without the roll-up's own savepoint and its two statements.
    rollup.refresh_objectives(
        org,
        objective_ids={row.objective_id for row in rows},
        key_result_ids=latest,
        if_moved="raise",
    )
    audit(actor, "okrs.check_in.bulk_recorded", None, data={"count": len(check_ins)})
    key_results_changed.send(sender=org, key_result_ids=list(latest), check_ins=written)
    return len(check_ins)


def _too_many(n: int) -> None:
    if n > BULK_CHECK_IN_LIMIT:
        raise ValidationError(
            {"items": _("At most %(n)d check-ins at once.") % {"n": BULK_CHECK_IN_LIMIT}}
        )


@rollup.retry_if_chain_moved
@transaction.atomic
def record_check_ins_by_public_id(
    *, actor: Membership, items: Sequence[tuple[UUID, CheckInData]]
) -> int:
    """The API's bulk check-in: the key results named by public id, among those the actor may
    see (any other: `items.<index>.key_result_id`, as if it did not exist). Returns how many
    check-ins were recorded."""
    _too_many(len(items))
    found: dict[UUID, _Row] = {}
    for values in _load(actor, public_ids=sorted({key for key, _data in items})):
        row = _Row(*values)
        found[row.public_id] = row
    missing = {
        f"items.{index}.key_result_id": [_("No such key result.")]
        for index, (key, _data) in enumerate(items)
        if key not in found
    }
    if missing:
        raise ValidationError(missing)
    rows = [found[key] for key, _data in items]
    return _record(actor, rows, [data for _key, data in items], timezone.now())


@rollup.retry_if_chain_moved
@transaction.atomic
def record_check_ins(*, actor: Membership, items: Sequence[tuple[KeyResult, CheckInData]]) -> int:
    """Many check-ins at once on key results in hand: all are recorded or none. Errors are keyed
    `items.<index>.<field>`. The key results passed in come out with their new figures."""
    _too_many(len(items))
    for key_result, _data in items:
        ensure_same_org(actor, key_result)
    by_pk: dict[int, _Row] = {}
    for values in _load(actor, pks=sorted({kr.pk for kr, _data in items})):
        row = _Row(*values)
        by_pk[row.pk] = row
    missing = {
        f"items.{index}.key_result_id": [_("No such key result.")]
        for index, (kr, _data) in enumerate(items)
        if kr.pk not in by_pk
    }
    if missing:
        raise ValidationError(missing)
    now = timezone.now()
    count = _record(actor, [by_pk[kr.pk] for kr, _d in items], [d for _kr, d in items], now)
    for key_result, _data in items:
        row = by_pk[key_result.pk]
        for name in _KR_CHECK_IN_FIELDS:
            setattr(key_result, name, getattr(row, name))
    return count
