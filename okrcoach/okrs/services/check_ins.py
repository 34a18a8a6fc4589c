"""Check-ins: record one or many, correct the latest; and a team's check-in cadence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _

from okrcoach.core import bounds
from okrcoach.core.audit import audit
from okrcoach.core.bulk import update_rows
from okrcoach.core.prepared import insert, inserts_together
from okrcoach.orgs.access import ensure_same_org
from okrcoach.orgs.models import Membership, Team

from .. import comms_targets, permissions, progress, rollup
from ..cadence import can_change_cadence, next_due
from ..models import CheckIn, KeyResult, Objective, TeamSettings
from ..signals import check_in_recorded
from . import key_results

CORRECTION_WINDOW = timedelta(hours=24)


BULK_CHECK_IN_LIMIT = 500


@dataclass(frozen=True)
class CheckInData:
    confidence: int
    value: Decimal | None = None
    milestone_done: bool | None = None
    ordinal_level: int | None = None
    progress_note: str = ""
    plans_note: str = ""
    problems_note: str = ""


def _check_check_in(key_result: KeyResult, data: CheckInData) -> None:
    errors = bounds.check(
        values={"value": data.value},
        notes={
            "progress_note": data.progress_note,
            "plans_note": data.plans_note,
            "problems_note": data.problems_note,
        },
    )
    if not 0 <= data.confidence <= 10:
        errors["confidence"] = _("Confidence runs from 0 to 10.")
    kind = key_result.kr_type
    if kind == KeyResult.KRType.METRIC and data.value is None:
        errors["value"] = _("Enter the current value.")
    elif (
        kind == KeyResult.KRType.METRIC
        and data.value is not None
        and key_result.unit_kind == KeyResult.UnitKind.PERCENT
        and data.value < 0
    ):
        errors["value"] = _("A percentage cannot be below 0.")
    if kind == KeyResult.KRType.MILESTONE and data.milestone_done is None:
        errors["milestone_done"] = _("Say whether the milestone is done.")
    if kind == KeyResult.KRType.ORDINAL and data.ordinal_level not in KeyResult.Level.values:
        errors["ordinal_level"] = _("Choose the level reached.")
    if errors:
        raise ValidationError(errors)


def _apply_check_in_to_kr(key_result: KeyResult, data: CheckInData) -> progress.KRProgress:
    if key_result.kr_type == KeyResult.KRType.METRIC:
        key_result.current_value = data.value
    elif key_result.kr_type == KeyResult.KRType.MILESTONE:
        key_result.milestone_done = bool(data.milestone_done)
    else:
        key_result.ordinal_level = int(data.ordinal_level or 0)
    result = rollup.recompute_key_result(key_result)
    key_result.progress, key_result.progress_raw = result.progress, result.raw
    key_result.confidence = data.confidence
    return result


_KR_CHECK_IN_FIELDS = [
    "current_value",
    "milestone_done",
    "ordinal_level",
    "progress",
    "progress_raw",
    "confidence",
    "next_check_in_due",
    "last_check_in_at",
]


def _record(
    actor: Membership,
    key_result: KeyResult,
    data: CheckInData,
    now: Any,
    overrides: dict[int, int] | None = None,
    save: bool = True,
    today: date | None = None,
    reach: permissions.Reach | None = None,
) -> CheckIn:
    ensure_same_org(actor, key_result)
    permissions.require_check_in(actor, key_result, reach)
    if not key_result.objective.cycle.accepts_check_ins:
        raise ValidationError({"value": _("Check-ins are open only while the cycle is active.")})
    _check_check_in(key_result, data)
    result = _apply_check_in_to_kr(key_result, data)
    key_result.next_check_in_due = next_due(actor.organisation, key_result, now, overrides, today)
    key_result.last_check_in_at = now
    if save:
        key_result.save(update_fields=_KR_CHECK_IN_FIELDS)
    return CheckIn(
        organisation=actor.organisation,
        key_result=key_result,
        author=actor,
        value=data.value,
        milestone_done=data.milestone_done,
        ordinal_level=data.ordinal_level,
        confidence=data.confidence,
        progress_note=data.progress_note.strip(),
        plans_note=data.plans_note.strip(),
        problems_note=data.problems_note.strip(),
        progress=result.progress,
        created_at=now,
    )


def record_check_in(
    *,
    actor: Membership,
    key_result: KeyResult,
    data: CheckInData,
    reach: permissions.Reach | None = None,
    cadence_overrides: dict[int, int] | None = None,
) -> CheckIn:
    """Append a check-in, move the key result to it, set the next due date from the team's
    cadence and refresh the progress of every objective above, in a fixed number of queries.
    The key result and its objective passed in come out as stored (figures, due date, progress).
    `reach` and `cadence_overrides`: what the caller read with the key result
    (selectors.check_in_row), which spares the permission's and the cadence's queries.

    _ONE_TRANSACTION (session 26; two before, _TWO_TRANSACTIONS): the check-in (key result,
    check-in row, audit, notices, feed line and webhook event) and the roll-up of the
    objectives above (rollup.refresh_for_check_in, under their row locks, with the objective's
    pace line) commit together, so a check-in costs one commit (one WAL flush, one BEGIN and
    one COMMIT round trip fewer) and the caller's next read sees the new progress. Locks follow
    rollup._ONE_LOCK_ORDER: the key result's row (its UPDATE) before the objectives' rows, as
    every writer that takes both. Should the roll-up fail (a deadlock, a lost connection, a
    bug), nothing is written and the error reaches the caller: no check-in stands without its
    roll-up, so nothing is left to repair. When the chain above moved while the objectives'
    locks waited (rollup._CHAIN_MOVED) the whole transaction rolls back, which lets every lock
    go, the key result's too, and runs again (`_check_in_and_roll_up`). Inside a caller's
    transaction it is a savepoint of it and commits with it."""
    previous_confidence = key_result.confidence
    previous_check_in_at = key_result.last_check_in_at
    run = partial(
        _check_in_and_roll_up,
        actor,
        key_result,
        data,
        reach,
        cadence_overrides,
        previous_confidence,
        previous_check_in_at,
    )
    try:  # one commit: the organisation's cache version rises once, on it
        check_in, rolled = run()
    except _DefinitionMoved:  # rolled back: again, the lock first
        check_in, rolled = run(lock_first=True)
    # Only now (the pace line compares the objective's pace before and after): the caller's
    # objective shows its new progress without reading the key result and its objective back.
    key_result.objective.progress = rolled.objective_progress
    return check_in


@rollup.retry_if_chain_moved
def _check_in_and_roll_up(
    actor: Membership,
    key_result: KeyResult,
    data: CheckInData,
    reach: permissions.Reach | None,
    cadence_overrides: dict[int, int] | None,
    previous_confidence: int | None,
    previous_check_in_at: datetime | None,
    *,
    lock_first: bool = False,
) -> tuple[CheckIn, rollup.CheckInRollup]:
    """record_check_in's transaction (_ONE_TRANSACTION): the check-in, then the roll-up. Run
    again whole when the chain above moved (rollup.ChainMoved): the rollback let every lock go
    and undid the check-in, which the next run writes again (its time taken anew).

    _WRITES_LAST (PostgreSQL, session 26): the check-in's rows (audit, feed line, task rows,
    the check-in) and the objectives' new progress go in one statement after the roll-up's
    read (core.prepared.inserts_together with the objectives' update): BEGIN, the key result's
    UPDATE, the objectives' lock, the read, that statement, COMMIT. Nothing in between reads
    those rows; the key result's update is never held (the roll-up reads its progress)."""
    with transaction.atomic(), inserts_together(updates_of=(Objective,)):
        check_in = _record_check_in(
            actor,
            key_result,
            data,
            reach,
            cadence_overrides,
            previous_confidence,
            lock_first=lock_first,
        )
        rolled = rollup.refresh_for_check_in(actor.organisation, key_result)
        comms_targets.objective_pace_moved(
            actor, key_result, previous_confidence, previous_check_in_at, rolled
        )
    return check_in, rolled


class _DefinitionMoved(Exception):
    """The key result was edited between the caller's read and the check-in's lock."""


# What a check-in's progress derives from besides the value checked in; an edit raises version.
_DEFINITION = ("kr_type", "direction", "baseline", "target", "stretch", "version")


def _record_check_in(
    actor: Membership,
    key_result: KeyResult,
    data: CheckInData,
    reach: permissions.Reach | None,
    cadence_overrides: dict[int, int] | None,
    previous_confidence: int | None,
    *,
    lock_first: bool = False,
) -> CheckIn:
    """The check-in part of record_check_in's transaction: everything but the roll-up.

    _LOCK_LAST: the audit row, the notices, the feed line and the webhook event are made from
    the key result as the caller read it, before the key result's row lock; under the lock
    only its update, the check-in's insert, the roll-up (_ONE_TRANSACTION) and the commit
    remain. The lock re-reads what
    progress derives from: when an edit moved it since the caller's read, _DefinitionMoved
    rolls this transaction back and record_check_in runs it again with `lock_first` (the order
    before session 23). The check-in's time is taken under the lock, so the key result always
    shows its latest check-in.

    _ONE_ROUND_TRIP (PostgreSQL, session 25): the lock, the definition's check and the update
    are one UPDATE (`_update_under_lock`: its WHERE names the definition as the caller read
    it; the time it stores is never earlier than the one it finds), and the audit
    row, the feed line, the task rows and the check-in are one statement after it
    (core.prepared.inserts_together): a transaction of four statements, not eight. Inside
    _check_in_and_roll_up's block that statement waits for the roll-up (_WRITES_LAST)."""
    if not lock_first and connection.vendor == "postgresql":
        with inserts_together():
            check_in = _record(
                actor, key_result, data, timezone.now(), cadence_overrides, False, reach=reach
            )
            _tell(actor, key_result, check_in, previous_confidence)
            _update_under_lock(actor, key_result, data, check_in, cadence_overrides)
            insert(check_in)
        check_in_recorded.send(sender=actor.organisation, key_result=key_result)
        return check_in
    if lock_first:
        key_results.lock_key_result(actor.organisation_id, key_result)
    definition = [getattr(key_result, name) for name in _DEFINITION]
    check_in = _record(
        actor, key_result, data, timezone.now(), cadence_overrides, False, reach=reach
    )
    _tell(actor, key_result, check_in, previous_confidence)
    if not lock_first:
        key_results.lock_key_result(actor.organisation_id, key_result)
        if [getattr(key_result, name) for name in _DEFINITION] != definition:
            raise _DefinitionMoved
        _apply_check_in_to_kr(key_result, data)  # over the figures the lock read back
        now = timezone.now()
        if timezone.localdate(now) != timezone.localdate(check_in.created_at):  # midnight passed
            key_result.next_check_in_due = next_due(
                actor.organisation, key_result, now, cadence_overrides
            )
        key_result.last_check_in_at = check_in.created_at = now
    # A set-based update, not save(): no post_save (check_in_recorded below is the notice);
    # it still raises the organisation's cache version. core.bulk's statement, not the ORM's
    # queryset update: the same row and values without compiling a query per check-in.
    update_rows(
        KeyResult,
        actor.organisation_id,
        _KR_CHECK_IN_FIELDS,
        [(key_result.pk, *(getattr(key_result, name) for name in _KR_CHECK_IN_FIELDS))],
    )
    insert(check_in)  # check_in.save(), its INSERT compiled once per process
    check_in_recorded.send(sender=actor.organisation, key_result=key_result)
    return check_in


def _tell(
    actor: Membership, key_result: KeyResult, check_in: CheckIn, previous_confidence: int | None
) -> None:
    """The check-in's audit row, notices, feed line and webhook event."""
    audit(
        actor,
        "okrs.check_in.recorded",
        check_in,
        data={"key_result": str(key_result.public_id), "progress": str(check_in.progress)},
    )
    comms_targets.check_in_recorded(
        actor=actor, check_in=check_in, previous_confidence=previous_confidence
    )


# The column a check-in moves, by kind of key result (_apply_check_in_to_kr).
_VALUE_FIELD = {
    KeyResult.KRType.METRIC: "current_value",
    KeyResult.KRType.MILESTONE: "milestone_done",
    KeyResult.KRType.ORDINAL: "ordinal_level",
}
_UPDATE_SQL: dict[str, str] = {}


def _update_sql(value_field: str) -> str:
    """_ONE_ROUND_TRIP's UPDATE for a key result of the kind whose column is `value_field`.
    Only our quoted table and column names are interpolated."""
    q = connection.ops.quote_name
    meta = KeyResult._meta
    table = q(meta.db_table)

    def col(name: str) -> str:
        return q(str(cast(Field[Any, Any], meta.get_field(name)).column))

    moved = (value_field, "progress", "progress_raw", "confidence", "next_check_in_due")
    sets = ", ".join(f"{col(name)} = %s" for name in moved)
    same = " AND ".join(f"{col(name)} IS NOT DISTINCT FROM %s" for name in _DEFINITION)
    at = col("last_check_in_at")
    # The lock first (the WITH); the WHERE is then checked on the row as the lock leaves it (a
    # row another transaction moved meanwhile is re-read: READ COMMITTED).
    return (
        f"WITH l AS (SELECT {col('id')} FROM {table} WHERE {col('organisation')} = %s"  # noqa: S608
        f" AND {col('id')} = %s FOR UPDATE)"
        f" UPDATE {table} SET {sets}, {at} = GREATEST({table}.{at}, %s) FROM l"
        f" WHERE {table}.{col('id')} = l.{col('id')} AND {same}"
        f" RETURNING {table}.{at}"
    )


def _update_under_lock(
    actor: Membership,
    key_result: KeyResult,
    data: CheckInData,
    check_in: CheckIn,
    cadence_overrides: dict[int, int] | None,
) -> None:
    """Lock, check and update the key result in one statement (PostgreSQL): the row moves
    only if its definition is still the one the caller read (else _DefinitionMoved: rolled
    back, run again lock-first). The check-in's time is taken just before it, and the row
    keeps the later of its last check-in's time and this one (a check-in that took its time
    after this one's but got the lock first): the check-in takes that time, and, written under
    the lock after the other, the higher id, so the latest check-in (newest time, then id) is
    always the one the key result shows. No post_save, as with update_rows; the
    organisation's cache version rises with the check-in's insert in the same transaction."""
    value_field = _VALUE_FIELD[KeyResult.KRType(key_result.kr_type)]
    sql = _UPDATE_SQL.get(value_field) or _UPDATE_SQL.setdefault(
        value_field, _update_sql(value_field)
    )
    now = timezone.now()
    if timezone.localdate(now) != timezone.localdate(check_in.created_at):  # midnight passed
        key_result.next_check_in_due = next_due(
            actor.organisation, key_result, now, cadence_overrides
        )
    params: list[Any] = [actor.organisation_id, key_result.pk]
    params += [
        getattr(key_result, name)
        for name in (value_field, "progress", "progress_raw", "confidence", "next_check_in_due")
    ]
    params += [now, *(getattr(key_result, name) for name in _DEFINITION)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        raise _DefinitionMoved
    key_result.last_check_in_at = check_in.created_at = row[0]


def record_check_ins(*, actor: Membership, items: Sequence[tuple[KeyResult, CheckInData]]) -> int:
    """Many check-ins at once, all or none (services/bulk_check_ins.py): how many."""
    from .bulk_check_ins import record_check_ins as record  # that module builds on this one

    return record(actor=actor, items=items)


@transaction.atomic
def correct_latest_check_in(*, actor: Membership, check_in: CheckIn, data: CheckInData) -> CheckIn:
    """The author may fix the latest check-in of a key result within 24 hours of writing it."""
    ensure_same_org(actor, check_in)
    if check_in.author_id != actor.pk:
        raise PermissionDenied(_("Only the author can correct a check-in."))
    key_result = check_in.key_result
    latest = (
        CheckIn.objects.for_org(actor.organisation)
        .filter(key_result=key_result)
        .values_list("pk", flat=True)
        .first()
    )
    if latest != check_in.pk:
        raise ValidationError({"value": _("Only the latest check-in can be corrected.")})
    if timezone.now() - check_in.created_at > CORRECTION_WINDOW:
        raise ValidationError({"value": _("Check-ins can be corrected for 24 hours only.")})
    if not key_result.objective.cycle.accepts_check_ins:
        raise ValidationError({"value": _("Check-ins are open only while the cycle is active.")})
    _check_check_in(key_result, data)
    key_results.lock_key_results(actor.organisation_id, [key_result])
    result = _apply_check_in_to_kr(key_result, data)
    key_result.save(update_fields=_KR_CHECK_IN_FIELDS)
    # Everything the correction replaces, notes included, stays in the audit log: nothing a
    # person typed vanishes.
    before = {
        "value": str(check_in.value),
        "milestone_done": check_in.milestone_done,
        "ordinal_level": check_in.ordinal_level,
        "confidence": check_in.confidence,
        "progress": str(check_in.progress),
        "progress_note": check_in.progress_note,
        "plans_note": check_in.plans_note,
        "problems_note": check_in.problems_note,
    }
    changes = {
        "value": data.value,
        "milestone_done": data.milestone_done,
        "ordinal_level": data.ordinal_level,
        "confidence": data.confidence,
        "progress_note": data.progress_note.strip(),
        "plans_note": data.plans_note.strip(),
        "problems_note": data.problems_note.strip(),
        "progress": result.progress,
        "corrected_at": timezone.now(),
    }
    CheckIn.objects.for_org(actor.organisation).filter(pk=check_in.pk).update(**changes)
    for name, value in changes.items():
        setattr(check_in, name, value)
    rollup.refresh_objectives(
        actor.organisation, objective_ids=[key_result.objective_id], key_result_ids=[key_result.pk]
    )
    audit(actor, "okrs.check_in.corrected", check_in, data={"before": before})
    return check_in


@transaction.atomic
def set_team_cadence(*, actor: Membership, team: Team, days: int | None) -> TeamSettings:
    """Admins and the team's lead override the organisation's check-in cadence for a team."""
    ensure_same_org(actor, team)
    if not can_change_cadence(actor, team):
        raise PermissionDenied(_("Only admins and the team's lead can change its cadence."))
    if days is not None and not 1 <= days <= 60:
        raise ValidationError({"check_in_cadence_days": _("Choose between 1 and 60 days.")})
    settings, _created = TeamSettings.objects.for_org(actor.organisation).update_or_create(
        organisation=actor.organisation, team=team, defaults={"check_in_cadence_days": days}
    )
    settings.full_clean()
    audit(actor, "okrs.team_settings.changed", team, data={"check_in_cadence_days": days})
    return settings
