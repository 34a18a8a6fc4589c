"""Keep cached objective progress in step with key results.

Every roll-up goes through `_roll_up`: `refresh_objectives` (after an edit, a link, an import or
a bulk check-in: services/bulk_check_ins.py) and `refresh_for_check_in` (one check-in) alike.
It recomputes the objectives a change touched and, when the organisation rolls children into
parents, all their ancestors, in three statements however deep the tree and however many
objectives: one locks and reads the objectives it may write (a recursive walk up the chain),
one reads what they average (key results, links, unchanged children), one bulk update.
`recompute_organisation` does the same for every row and is what `manage.py recompute_progress`
runs; a property test shows both agree.

_LOCKED_BEFORE_THE_READ: the objectives are locked (PostgreSQL `FOR NO KEY UPDATE`, in
primary-key order, so two roll-ups that share objectives queue instead of deadlocking) before
the values they are computed from are read. A roll-up that read first could compute an
objective from a sibling key result's old progress while that sibling's own roll-up waited for
the objective, and then overwrite the sibling's newer result (a lost update:
tests/test_rollup_concurrency.py shows it for a check-in against a check-in, an edit and a bulk
check-in). Locked first, the read (a statement of its own, so a snapshot taken after the locks)
sees every key result committed before: of two roll-ups of one objective, the second reads both
changes. SQLite's write transaction holds the database's lock instead.

_ONE_LOCK_ORDER: objective rows are locked in primary-key order, all at once, by one statement
of `_lock_sql`; every writer of an objective row (an edit, a move under another parent, a
deletion: services/objectives.py) takes its locks with `lock_objectives` before it writes,
never its own row first and the chain after, which deadlocked with a check-in's roll-up holding
the chain and waiting for the row (tests/test_rollup_lock_order.py). Key result rows, where a
transaction takes both, come before objective rows (check-ins, edits, links, bulk check-ins
and `recompute_organisation` alike).

_CHAIN_MOVED: the walk up the chain reads the parent links as the statement's snapshot has
them; a lock that waited for a transaction moving an objective under another parent returns
the row as that transaction left it, so the locked rows can name a parent outside the set. The
check-in's roll-up and the objective writers then raise `ChainMoved`: their transaction (or
savepoint) rolls back, which lets the locks go, and runs again (`retry_if_chain_moved`).
`refresh_objectives` does the same with a savepoint of its own inside the caller's transaction
(_REFRESH_RUNS_AGAIN). Until session 26 it locked the new chain on top of the old one instead:
out of primary-key order, it deadlocked with a check-in's roll-up under the new parent
(tests/test_rollup_lock_order.py)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal, NamedTuple, ParamSpec, TypeVar

from django.db import connection, transaction
from django.db.models import Field, Model
from django.db.models.expressions import RawSQL

from okrcoach.core.bulk import array_literal, update_rows
from okrcoach.core.prepared import never_prepared
from okrcoach.orgs.models import Organisation

from . import progress
from .models import ContributionLink, KeyResult, Objective

Parts = dict[int, list[tuple[Decimal, Decimal]]]

# Up to this many ids are written as placeholders (`IN (%s, ...)`): the few shapes of a check-in's
# statements, which psycopg may prepare. More (a bulk check-in's or an import's hundreds) travel
# on PostgreSQL as one array parameter each, so neither psycopg nor the planner works per id.
_FEW_IDS = 16


class ChainMoved(Exception):
    """An objective of the chain a roll-up locked moved under another parent while the lock
    waited (_CHAIN_MOVED): roll back and run again."""


_P = ParamSpec("_P")
_R = TypeVar("_R")

# A chain moves only while a lock waits for the mover; a second move in the very next moment
# is rarer still. Past this many runs the error reaches the caller.
_RUNS_IF_MOVED = 5


def retry_if_chain_moved(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run `function` (a transaction, or a savepoint of the caller's) again when it raises
    ChainMoved: its rollback let its locks go."""

    @functools.wraps(function)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        for _ in range(_RUNS_IF_MOVED - 1):
            try:
                return function(*args, **kwargs)
            except ChainMoved:
                continue
        return function(*args, **kwargs)

    return run


class _Objective(NamedTuple):
    """An objective as the roll-up reads and writes it."""

    pk: int
    parent_id: int | None
    weight: Decimal
    progress: Decimal
    status: str


# _ANCESTORS_PLANNED_EACH_TIME: the queries that walk up the alignment chain run unprepared on
# PostgreSQL (core.prepared.never_prepared), planned with their ids every time. With psycopg's
# automatic preparing, PostgreSQL switched them to a generic plan that took 15-20 ms at 10,000
# people instead of about 1, inside the check-in's transaction, holding the key result's row
# lock: the htmx check-in fell from 118 to 43 req/s under the load benchmark (perf/LOAD_RESULTS.md).
def _ancestors_sql(seed: str) -> str:
    table = connection.ops.quote_name(Objective._meta.db_table)
    # Each step reads the parents of the rows found so far by primary key (a correlated
    # subquery, one index probe per row): as a join, PostgreSQL planned the step as a hash of
    # every objective that has a parent, a scan that grows with the organisation (11k rows at
    # 10,000 people for a batch touching 300). A root's parent is NULL: it enters the set once,
    # UNION's duplicate removal stops there, and the final SELECT drops it. UNION (not UNION
    # ALL) also stops at a cycle, should one ever slip past the service.
    parent = f"(SELECT o.parent_id FROM {table} o WHERE o.id = up.id)"  # noqa: S608
    step = f"SELECT {parent} FROM up WHERE up.id IS NOT NULL"  # noqa: S608
    return f"WITH RECURSIVE up(id) AS ({seed} UNION {step}) SELECT id FROM up WHERE id IS NOT NULL"  # noqa: S608


# The SQL below interpolates only quoted table names from model metadata and "%s" placeholders;
# every value travels as a parameter (hence the S608/S611 waivers).
def _ids(ids: Sequence[int]) -> tuple[str, list[Any]]:
    """`<column> <this>` is true for these ids: the SQL and its parameters."""
    if connection.vendor == "postgresql" and len(ids) > _FEW_IDS:
        return "= ANY(%s::bigint[])", [array_literal(ids)]
    return f"IN ({', '.join(['%s'] * len(ids)) or 'NULL'})", list(ids)


def _seed_sql(
    organisation: Organisation,
    objective_ids: Sequence[int],
    key_result_ids: Sequence[int],
    dependants_of: Sequence[int] = (),
) -> tuple[str, list[Any]]:
    """These objectives and those linking to these key results (ids) and, for `dependants_of`,
    their children and the objectives linking to their key results: the SQL, its parameters."""
    q = connection.ops.quote_name
    table, links = q(Objective._meta.db_table), q(ContributionLink._meta.db_table)
    krs = q(KeyResult._meta.db_table)
    among, params = _ids(objective_ids)
    sql = f"SELECT id FROM {table} WHERE organisation_id = %s AND id {among}"  # noqa: S608
    params = [organisation.pk, *params]
    if dependants_of:
        among, more = _ids(dependants_of)
        sql += (
            f" UNION SELECT id FROM {table}"  # noqa: S608
            f" WHERE organisation_id = %s AND parent_id {among}"
            f" UNION SELECT l.objective_id FROM {links} l JOIN {krs} k ON k.id = l.key_result_id"
            f" WHERE l.organisation_id = %s AND k.objective_id {among}"
        )
        params += [organisation.pk, *more, organisation.pk, *more]
    if key_result_ids:
        among, more = _ids(key_result_ids)
        sql += (
            f" UNION SELECT objective_id FROM {links}"  # noqa: S608
            f" WHERE organisation_id = %s AND key_result_id {among}"
        )
        params += [organisation.pk, *more]
    return sql, params


def ancestor_ids(organisation: Organisation, objective_id: int) -> set[int]:
    """Ids of this objective and everything above it: one recursive query."""
    seed, params = _seed_sql(organisation, [objective_id], ())
    with never_prepared(connection):  # see _ANCESTORS_PLANNED_EACH_TIME
        return set(
            Objective.objects.for_org(organisation)
            .filter(pk__in=RawSQL(_ancestors_sql(seed), params))  # noqa: S611
            .values_list("pk", flat=True)
        )


def _store(
    organisation: Organisation,
    objectives: Sequence[_Objective],
    kr_parts: Parts,
    link_parts: Parts,
    outside: Parts,
) -> dict[int, Decimal]:
    """Compute the objectives' progress from these parts and store those that moved (one
    statement); returns their new progress."""
    abandoned = Objective.Status.ABANDONED
    computed = progress.rollup(
        nodes=[
            progress.ObjectiveNode(
                pk=o.pk,
                parent_id=o.parent_id,
                weight=o.weight,
                counts_in_parent=o.status != abandoned,
            )
            for o in objectives
        ],
        kr_parts=kr_parts,
        link_parts=link_parts,
        outside_children=outside,
        include_children=organisation.rollup_includes_children,
    )
    moved = sorted(  # in primary-key order, as the rows were locked
        (o.pk, computed[o.pk])
        for o in objectives
        if o.pk in computed and computed[o.pk] != o.progress
    )
    if moved:
        update_rows(Objective, organisation.pk, ["progress"], moved)
    return dict(moved)


def _lock_sql(
    organisation: Organisation,
    objective_ids: Sequence[int],
    key_result_ids: Sequence[int],
    *,
    walk: bool,
    dependants_of: Sequence[int] = (),
) -> tuple[str, list[Any]]:
    """The objectives a roll-up writes (these, those linking to these key results and, with
    `walk`, their ancestors), locked in primary-key order and read as the lock leaves them
    (_LOCKED_BEFORE_THE_READ, _ONE_LOCK_ORDER)."""
    seed, params = _seed_sql(organisation, objective_ids, key_result_ids, dependants_of)
    chain = _ancestors_sql(seed) if walk else seed
    table = connection.ops.quote_name(Objective._meta.db_table)
    # _CHAIN_AS_ARRAY: on PostgreSQL the chain is collected first (ARRAY(...), run once) and the
    # objectives are then fetched by primary key (id = ANY: an index scan). As "id IN (<the
    # recursive query>)" the planner guessed ~200 rows for the walk and, with one cycle's
    # objectives (11,407 at 10,000 people), hashed them all from a sequential scan: 3.3 ms
    # instead of 0.2 ms in every check-in, with the key result's row lock held
    # (perf/LOAD_RESULTS.md, session 26).
    among = f"= ANY(ARRAY({chain}))" if connection.vendor == "postgresql" else f"IN ({chain})"
    sql = (
        f"SELECT id, parent_id, weight, progress, status FROM {table}"  # noqa: S608
        f" WHERE organisation_id = %s AND id {among} ORDER BY id"
    )
    if connection.features.has_select_for_no_key_update:
        sql += " FOR NO KEY UPDATE"
    return sql, [organisation.pk, *params]


def _moved(objectives: Sequence[_Objective]) -> bool:
    """A locked objective names a parent the walk did not lock: _CHAIN_MOVED."""
    ids = {o.pk for o in objectives}
    return any(o.parent_id is not None and o.parent_id not in ids for o in objectives)


def _locked(
    organisation: Organisation,
    cursor: Any,
    objective_ids: Sequence[int],
    key_result_ids: Sequence[int],
    *,
    walk: bool,
    dependants_of: Sequence[int] = (),
) -> list[_Objective]:
    """Lock and read the objectives (_lock_sql); when the chain moved meanwhile, raise
    ChainMoved (_CHAIN_MOVED): the caller rolls back what holds the locks and runs again."""
    decimal = _converter(Objective, "progress")
    weight = _converter(Objective, "weight")
    sql = _lock_sql(
        organisation, objective_ids, key_result_ids, walk=walk, dependants_of=dependants_of
    )
    with never_prepared(connection):  # _ANCESTORS_PLANNED_EACH_TIME
        cursor.execute(*sql)  # a statement of its own: a snapshot taken now
        objectives = [
            _Objective(pk, parent_id, weight(w), decimal(p), status)
            for pk, parent_id, w, p, status in cursor.fetchall()
        ]
    if walk and _moved(objectives):
        raise ChainMoved
    return objectives


def lock_objectives(
    organisation: Organisation, objective_ids: Iterable[int], *, dependants_of: Iterable[int] = ()
) -> dict[int, int | None]:
    """Before an objective row is written (_ONE_LOCK_ORDER): lock these objectives, for
    `dependants_of` (one to delete) also their children and the objectives linking to their
    key results, and all their ancestors, in primary-key order, one statement. Returns each
    locked objective's parent id, as it stays until the commit. Raises ChainMoved (wrap the
    transaction in `retry_if_chain_moved`)."""
    ids = sorted(set(objective_ids) | set(dependants_of))
    with connection.cursor() as cursor:
        objectives = _locked(
            organisation,
            cursor,
            ids,
            (),
            walk=True,
            dependants_of=sorted(set(dependants_of)),
        )
    return {o.pk: o.parent_id for o in objectives}


def _parts_sql(organisation: Organisation, ids: Sequence[int]) -> tuple[str, list[Any]]:
    """Everything else the roll-up of these objectives reads, in one query: their key results
    (kind 1, with what a check-in's pace line needs), their links (2) and, when children count
    in parents, their other children (3)."""
    q = connection.ops.quote_name
    objectives = q(Objective._meta.db_table)
    krs = q(KeyResult._meta.db_table)
    links = q(ContributionLink._meta.db_table)
    among, id_params = _ids(ids)
    org = organisation.pk
    # Only our quoted table names and fixed SQL are interpolated; values are parameters.
    parts = [
        f"SELECT 1, k.objective_id, k.id, k.weight, k.progress, k.confidence,"  # noqa: S608
        f" k.last_check_in_at FROM {krs} k"
        f" WHERE k.organisation_id = %s AND k.objective_id {among}",
        f"SELECT 2, l.objective_id, NULL, l.weight, k.progress, NULL, NULL"  # noqa: S608
        f" FROM {links} l JOIN {krs} k ON k.id = l.key_result_id"
        f" WHERE l.organisation_id = %s AND l.objective_id {among}",
    ]
    params: list[Any] = [org, *id_params, org, *id_params]
    if organisation.rollup_includes_children:
        parts.append(
            f"SELECT 3, o.parent_id, o.id, o.weight, o.progress, NULL, NULL"  # noqa: S608
            f" FROM {objectives} o WHERE o.organisation_id = %s"
            f" AND o.parent_id {among} AND NOT (o.id {among}) AND o.status <> %s"
        )
        params += [org, *id_params, *id_params, Objective.Status.ABANDONED]
    return " UNION ALL ".join(parts), params


def _converter(model: type[Model], name: str) -> Callable[[Any], Any]:
    """The database's value → Python, as the ORM converts this column (SQLite hands decimals
    and datetimes back as floats and text)."""
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    col = field.get_col(model._meta.db_table)
    converters = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
    if not converters:
        return lambda value: value

    def convert(value: Any) -> Any:
        for c in converters:
            value = c(value, col, connection)
        return value

    return convert


class SiblingState(NamedTuple):
    """A key result of the checked-in key result's objective, as stored after the check-in."""

    pk: int
    confidence: int | None
    last_check_in_at: datetime | None


@dataclass(frozen=True)
class _Rolled:
    objectives: list[_Objective]  # every objective locked, with its progress before the roll-up
    moved: dict[int, Decimal]  # new progress of those that moved
    siblings: list[SiblingState]  # the key results of `siblings_of`


def _roll_up(
    organisation: Organisation,
    objective_ids: Sequence[int],
    key_result_ids: Sequence[int],
    siblings_of: int | None = None,
) -> _Rolled:
    """Lock and read the objectives to recompute, read what they average, store those that
    moved: three statements (the update only when one moved). Runs in the caller's transaction.
    Raises ChainMoved (_CHAIN_MOVED)."""
    decimal = _converter(Objective, "progress")
    weight = _converter(Objective, "weight")
    when = _converter(KeyResult, "last_check_in_at")
    kr_parts: Parts = {}
    link_parts: Parts = {}
    outside: Parts = {}
    siblings: list[SiblingState] = []
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        objectives = _locked(
            organisation,
            cursor,
            objective_ids,
            key_result_ids,
            walk=organisation.rollup_includes_children,
        )
        if objectives:
            sql, params = _parts_sql(organisation, [o.pk for o in objectives])
            if len(objectives) > _FEW_IDS:  # arrays: planned with their ids, as the walk
                with never_prepared(connection):
                    cursor.execute(sql, params)
            else:
                cursor.execute(sql, params)
            rows = cursor.fetchall()
    for kind, objective_id, other_id, w, value, confidence, at in rows:
        part = (weight(w), decimal(value))
        if kind == 1:
            kr_parts.setdefault(objective_id, []).append(part)
            if objective_id == siblings_of:
                siblings.append(SiblingState(other_id, confidence, when(at)))
        elif kind == 2:
            link_parts.setdefault(objective_id, []).append(part)
        else:
            outside.setdefault(objective_id, []).append(part)
    moved = _store(organisation, objectives, kr_parts, link_parts, outside) if objectives else {}
    return _Rolled(objectives, moved, siblings)


def refresh_objectives(
    organisation: Organisation,
    *,
    objective_ids: Iterable[int] = (),
    key_result_ids: Iterable[int] = (),
    if_moved: Literal["run again", "raise"] = "run again",
) -> dict[int, Decimal]:
    """Recompute the objectives of `objective_ids`, those linking to `key_result_ids`, and
    their ancestors when children count in parents, under their row locks
    (_LOCKED_BEFORE_THE_READ): three statements whatever their number. Returns the new
    progress of those that changed, so a caller holding one of them can show it without
    reading it back. Inside the caller's transaction, else in one of its own (the locks must
    last until the write commits). Lock the key results it writes before (_ONE_LOCK_ORDER).

    _REFRESH_RUNS_AGAIN: when the chain above moved while its locks waited (_CHAIN_MOVED), the
    roll-up rolls back (its own savepoint in the caller's transaction, two more statements on
    PostgreSQL when children count in parents; else its own transaction), which lets the
    objectives' locks go, and runs again, as a check-in's does. `if_moved="raise"`: no
    savepoint, ChainMoved reaches a caller that runs its whole transaction again
    (`retry_if_chain_moved`: the bulk check-in)."""
    ids = sorted(set(objective_ids))
    kr_ids = sorted(set(key_result_ids))
    if not ids and not kr_ids:
        return {}
    # Only a walk up the chain under row locks can find it moved: on SQLite the write
    # transaction holds the database's lock, no chain moves under it.
    may_move = organisation.rollup_includes_children and connection.features.has_select_for_update
    if if_moved == "raise" or not may_move:
        with transaction.atomic(savepoint=False):
            return _roll_up(organisation, ids, kr_ids).moved
    return _roll_up_again_if_moved(organisation, ids, kr_ids)


@retry_if_chain_moved
def _roll_up_again_if_moved(
    organisation: Organisation, ids: Sequence[int], kr_ids: Sequence[int]
) -> dict[int, Decimal]:
    """_REFRESH_RUNS_AGAIN: a savepoint of the caller's transaction, or a transaction."""
    with transaction.atomic():
        return _roll_up(organisation, ids, kr_ids).moved


@dataclass(frozen=True)
class CheckInRollup:
    moved: dict[int, Decimal]  # new progress of the objectives that moved
    objective_progress: Decimal  # of the key result's own objective, after the roll-up
    siblings: list[SiblingState]  # its objective's key results (the pace check reads them)


def refresh_for_check_in(organisation: Organisation, key_result: KeyResult) -> CheckInRollup:
    """`refresh_objectives(objective_ids=[its objective], key_result_ids=[it])` for one
    check-in, in the check-in's transaction after its key result's update
    (services.check_ins _ONE_TRANSACTION), which also returns the key results of the
    key result's own objective, for the check-in's pace status line: no query of its own.
    Raises ChainMoved (_CHAIN_MOVED): run the transaction again."""
    rolled = _roll_up(
        organisation,
        [key_result.objective_id],
        [key_result.pk],
        key_result.objective_id,
    )  # ChainMoved: record_check_in runs its roll-up's transaction again
    own = rolled.moved.get(key_result.objective_id)
    if own is None:
        own = next((o.progress for o in rolled.objectives if o.pk == key_result.objective_id), None)
    if own is None:  # its objective is gone
        own = key_result.objective.progress
    return CheckInRollup(rolled.moved, own, rolled.siblings)


def recompute_key_result(kr: KeyResult) -> progress.KRProgress:
    return progress.key_result_progress(
        kr_type=kr.kr_type,
        baseline=kr.baseline,
        target=kr.target,
        current=kr.current_value,
        milestone_done=kr.milestone_done,
        ordinal_level=kr.ordinal_level,
    )


# _RECOMPUTE_IN_BATCHES: key results, then objectives, this many rows per transaction.
RECOMPUTE_BATCH = 2000


def recompute_organisation(
    organisation: Organisation, *, batch: int = RECOMPUTE_BATCH
) -> tuple[int, int]:
    """Recompute every key result and objective of one organisation from stored values (what
    `manage.py recompute_progress` runs). Returns (key results changed, objectives changed).

    _RECOMPUTE_IN_BATCHES: `batch` key results at a time in primary-key order, each batch a
    transaction of its own (outside a caller's; inside one, a savepoint of it, and the locks
    last until the caller commits), locked as they are read: a check-in between the read
    and the write of a key result's progress waits instead of being overwritten with the
    progress of the value before, and waits for one batch at most. Then the objectives, `batch`
    at a time, each batch rolled up as any roll-up is (_roll_up: the batch and, when children
    count in parents, all their ancestors, locked in primary-key order; children outside the
    batch at their stored progress). An objective's last roll-up comes after every one of its
    children's (each batch rolls up the ancestors of what it recomputes), so every objective
    ends as one pass over the whole tree would leave it; a check-in meanwhile rolls up its own
    chain as usual. Until session 26 this was one transaction holding every key result's lock
    of the organisation: 3.5-5.7 s at 10,000 people (94,215 key results), and a check-in
    waited for all of it; batches of 2,000 hold theirs 0.3-0.7 s (perf/recompute_locks.py)."""
    changed_krs = 0
    after = 0
    while True:
        with transaction.atomic():
            changed, last = _recompute_key_results(organisation, after, batch)
        changed_krs += changed
        if last is None:
            break
        after = last
    # An objective is rolled up by every batch below it: changed if it ends other than it was
    # found the first time.
    found: dict[int, Decimal] = {}
    left: dict[int, Decimal] = {}
    after = 0
    while True:
        ids = list(
            Objective.objects.for_org(organisation)
            .filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            break
        rolled = _recompute_objectives(organisation, ids)
        for o in rolled.objectives:
            found.setdefault(o.pk, o.progress)
            left[o.pk] = rolled.moved.get(o.pk, o.progress)
        after = ids[-1]
    return changed_krs, sum(found[pk] != value for pk, value in left.items())


def _recompute_key_results(
    organisation: Organisation, after: int, batch: int
) -> tuple[int, int | None]:
    """The next `batch` key results after primary key `after`, locked as they are read (key
    results before objectives: _ONE_LOCK_ORDER), their progress recomputed and the changed
    ones written in one statement. Returns (how many changed, the last primary key; None
    after the last batch)."""
    rows = list(
        KeyResult.objects.for_org(organisation)
        .filter(pk__gt=after)
        .select_for_update(no_key=True)
        .order_by("pk")
        .values_list(
            "pk",
            "kr_type",
            "baseline",
            "target",
            "current_value",
            "milestone_done",
            "ordinal_level",
            "progress",
            "progress_raw",
        )[:batch]
    )
    changed = []
    for pk, kr_type, baseline, target, current, done, level, stored, stored_raw in rows:
        result = progress.key_result_progress(
            kr_type=kr_type,
            baseline=baseline,
            target=target,
            current=current,
            milestone_done=done,
            ordinal_level=level,
        )
        if (stored, stored_raw) != (result.progress, result.raw):
            changed.append((pk, result.progress, result.raw))
    update_rows(KeyResult, organisation.pk, ["progress", "progress_raw"], changed)
    return len(changed), rows[-1][0] if len(rows) == batch else None


@retry_if_chain_moved
def _recompute_objectives(organisation: Organisation, ids: Sequence[int]) -> _Rolled:
    """One batch of objectives (_RECOMPUTE_IN_BATCHES), run again when its chain moved."""
    with transaction.atomic():
        return _roll_up(organisation, ids, ())
