"""Keep cached objective progress in step with key results.

`refresh_objectives` recomputes the objectives a change touched and, when the organisation rolls
children into parents, all their ancestors: a fixed number of queries however deep the tree
(one recursive CTE for the ancestors, one query each for key results, links and unchanged
siblings, one bulk update). `recompute_organisation` does the same for every row and is what
`manage.py recompute_progress` runs; a property test shows both agree."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Field, Model
from django.db.models.expressions import RawSQL

from okrcoach.core.bulk import update_from_values
from okrcoach.core.prepared import never_prepared
from okrcoach.orgs.models import Organisation

from . import progress
from .models import ContributionLink, KeyResult, Objective

_FIELDS = ("pk", "parent_id", "weight", "status", "progress")
Parts = dict[int, list[tuple[Decimal, Decimal]]]


# The SQL below interpolates only quoted table names from model metadata and "%s" placeholders;
# every value travels as a parameter (hence the S608/S611 waivers).
def _seed_sql(n_seeds: int, with_kr: bool) -> str:
    table = connection.ops.quote_name(Objective._meta.db_table)
    links = connection.ops.quote_name(ContributionLink._meta.db_table)
    marks = ", ".join(["%s"] * n_seeds) or "NULL"
    sql = f"SELECT id FROM {table} WHERE organisation_id = %s AND id IN ({marks})"  # noqa: S608
    if with_kr:
        sql += f" UNION SELECT objective_id FROM {links} WHERE key_result_id = %s"  # noqa: S608
    return sql


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


def _seed_filter(
    organisation: Organisation, objective_ids: list[int], key_result_id: int | None
) -> RawSQL:
    sql = _seed_sql(len(objective_ids), key_result_id is not None)
    if organisation.rollup_includes_children:
        sql = _ancestors_sql(sql)
    params: list[int] = [organisation.pk, *objective_ids]
    if key_result_id is not None:
        params.append(key_result_id)
    return RawSQL(sql, params)  # noqa: S611


def ancestor_ids(organisation: Organisation, objective_id: int) -> set[int]:
    """Ids of this objective and everything above it: one recursive query."""
    sql = _ancestors_sql(_seed_sql(1, False))
    with never_prepared(connection):  # see _ANCESTORS_PLANNED_EACH_TIME
        return set(
            Objective.objects.for_org(organisation)
            .filter(pk__in=RawSQL(sql, (organisation.pk, objective_id)))  # noqa: S611
            .values_list("pk", flat=True)
        )


def _apply(
    organisation: Organisation, objectives: list[Objective], *, complete: bool
) -> dict[int, Decimal]:
    if not objectives:
        return {}
    ids = [o.pk for o in objectives]
    kr_parts: Parts = {}
    # Unordered: the weighted averages do not depend on the order (exact decimal sums).
    krs = (
        KeyResult.objects.for_org(organisation)
        .order_by()
        .values_list("objective_id", "weight", "progress")
    )
    for objective_id, weight, value in krs if complete else krs.filter(objective_id__in=ids):
        kr_parts.setdefault(objective_id, []).append((weight, value))
    link_parts: Parts = {}
    links = (
        ContributionLink.objects.for_org(organisation)
        .order_by()
        .values_list("objective_id", "weight", "key_result__progress")
    )
    for objective_id, weight, value in links if complete else links.filter(objective_id__in=ids):
        link_parts.setdefault(objective_id, []).append((weight, value))
    outside: Parts = {}
    include_children = organisation.rollup_includes_children
    if include_children and not complete:
        siblings = (
            Objective.objects.for_org(organisation)
            .filter(parent_id__in=ids)
            .exclude(pk__in=ids)
            .exclude(status=Objective.Status.ABANDONED)
            .order_by()
            .values_list("parent_id", "weight", "progress")
        )
        for parent_id, weight, value in siblings:
            outside.setdefault(parent_id, []).append((weight, value))
    return _write(organisation, objectives, kr_parts, link_parts, outside)


def _write(
    organisation: Organisation,
    objectives: list[Objective],
    kr_parts: Parts,
    link_parts: Parts,
    outside: Parts,
) -> dict[int, Decimal]:
    """Compute the objectives' progress from these parts and store those that moved."""
    nodes = [
        progress.ObjectiveNode(
            pk=o.pk,
            parent_id=o.parent_id,
            weight=o.weight,
            counts_in_parent=o.status != Objective.Status.ABANDONED,
        )
        for o in objectives
    ]
    computed = progress.rollup(
        nodes=nodes,
        kr_parts=kr_parts,
        link_parts=link_parts,
        outside_children=outside,
        include_children=organisation.rollup_includes_children,
    )
    changed = []
    for o in objectives:
        new = computed.get(o.pk)
        if new is not None and new != o.progress:
            o.progress = new
            changed.append(o)
    if changed:
        # In primary-key order: two writers lock shared rows in the same order.
        changed.sort(key=lambda o: o.pk)
        update_from_values(Objective, organisation.pk, changed, ["progress"])
    return {o.pk: o.progress for o in changed}


def refresh_objectives(
    organisation: Organisation,
    *,
    objective_ids: Iterable[int] = (),
    key_result_id: int | None = None,
) -> dict[int, Decimal]:
    """Recompute the objectives of `objective_ids`, those linking to `key_result_id`, and their
    ancestors when children count in parents. Returns the new progress of those that changed,
    so a caller holding one of them can show it without reading it back."""
    ids = sorted(set(objective_ids))
    if not ids and key_result_id is None:
        return {}
    with never_prepared(connection):  # see _ANCESTORS_PLANNED_EACH_TIME
        objectives = list(
            Objective.objects.for_org(organisation)
            .filter(pk__in=_seed_filter(organisation, ids, key_result_id))
            .order_by()
            .only(*[f for f in _FIELDS if f != "pk"])
        )
    return _apply(organisation, objectives, complete=False)


class SiblingState(NamedTuple):
    """A key result of the checked-in key result's objective, as stored after the check-in."""

    pk: int
    confidence: int | None
    last_check_in_at: datetime | None


@dataclass(frozen=True)
class CheckInRollup:
    moved: dict[int, Decimal]  # new progress of the objectives that moved
    objective_progress: Decimal  # of the key result's own objective, after the roll-up
    siblings: list[SiblingState]  # its objective's key results (the pace check reads them)


def _lock_sql(include_children: bool) -> str:
    """The objectives a check-in's roll-up writes (its objective, those its key result
    contributes to and, when children count in parents, their ancestors), locked in primary-key
    order (PostgreSQL; SQLite's write transaction holds the database's lock) and read as the
    lock leaves them."""
    table = connection.ops.quote_name(Objective._meta.db_table)
    seed = _seed_sql(1, True)
    chain = _ancestors_sql(seed) if include_children else seed
    sql = (
        f"SELECT id, parent_id, weight, progress, status FROM {table}"  # noqa: S608
        f" WHERE organisation_id = %s AND id IN ({chain}) ORDER BY id"
    )
    if connection.features.has_select_for_no_key_update:
        sql += " FOR NO KEY UPDATE"
    return sql


def _parts_sql(n_ids: int, include_children: bool) -> str:
    """The rest of `_apply`'s reads for these objectives, in one query: their key results
    (kind 1), their links (2) and, when children count in parents, their other children (3)."""
    q = connection.ops.quote_name
    objectives = q(Objective._meta.db_table)
    krs = q(KeyResult._meta.db_table)
    links = q(ContributionLink._meta.db_table)
    ids = ", ".join(["%s"] * n_ids)
    # Only our quoted table names and fixed SQL are interpolated; values are parameters.
    parts = [
        f"SELECT 1, k.objective_id, k.id, k.weight, k.progress, k.confidence,"  # noqa: S608
        f" k.last_check_in_at FROM {krs} k"
        f" WHERE k.organisation_id = %s AND k.objective_id IN ({ids})",
        f"SELECT 2, l.objective_id, NULL, l.weight, k.progress, NULL, NULL"  # noqa: S608
        f" FROM {links} l JOIN {krs} k ON k.id = l.key_result_id"
        f" WHERE l.organisation_id = %s AND l.objective_id IN ({ids})",
    ]
    if include_children:
        parts.append(
            f"SELECT 3, o.parent_id, o.id, o.weight, o.progress, NULL, NULL"  # noqa: S608
            f" FROM {objectives} o WHERE o.organisation_id = %s"
            f" AND o.parent_id IN ({ids}) AND o.id NOT IN ({ids}) AND o.status <> %s"
        )
    return " UNION ALL ".join(parts)


def _converter(model: type[Model], name: str) -> Callable[[Any], Any]:
    """The database's value → Python, as the ORM converts this column (SQLite hands decimals
    and datetimes back as floats and text)."""
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    col = field.get_col(model._meta.db_table)
    converters = connection.ops.get_db_converters(col) + col.get_db_converters(connection)

    def convert(value: Any) -> Any:
        for c in converters:
            value = c(value, col, connection)
        return value

    return convert


def refresh_for_check_in(organisation: Organisation, key_result: KeyResult) -> CheckInRollup:
    """`refresh_objectives(objective_ids=[its objective], key_result_id=...)` for one check-in
    whose key result is committed (services.check_ins.record_check_in runs this in a
    transaction of its own, after the check-in's). Two queries and a write:

    1. (_CHAIN_LOCKED_BEFORE_THE_READ) the objectives it writes, locked in primary-key order
       and read (`_lock_sql`: one recursive walk up the chain). A roll-up that read first could
       compute from a sibling key result's old progress while that sibling's own roll-up waited
       for the same objective, and then overwrite the sibling's newer result. Locked first, the
       read below (a statement of its own, so a snapshot taken after the locks) sees every key
       result committed before: of two check-ins on one objective, the roll-up that runs second
       reads both (tests/test_rollup_concurrency.py).
    2. the rest of `_apply`'s reads in one query for those objectives' ids (no walk): their
       key results, their links and their unchanged children; the key results of the key
       result's own objective come back too, for the check-in's pace status line."""
    include_children = organisation.rollup_includes_children
    org = organisation.pk
    decimal = _converter(Objective, "progress")
    weight = _converter(Objective, "weight")
    when = _converter(KeyResult, "last_check_in_at")
    kr_parts: Parts = {}
    link_parts: Parts = {}
    outside: Parts = {}
    siblings: list[SiblingState] = []
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        with never_prepared(connection):  # _ANCESTORS_PLANNED_EACH_TIME
            chain = [org, org, key_result.objective_id, key_result.pk]
            cursor.execute(_lock_sql(include_children), chain)
            objectives = [
                Objective(
                    pk=pk, parent_id=parent_id, weight=weight(w), progress=decimal(p), status=st
                )
                for pk, parent_id, w, p, st in cursor.fetchall()
            ]
        ids = [o.pk for o in objectives]
        if ids:
            params: list[Any] = [org, *ids, org, *ids]
            if include_children:
                params += [org, *ids, *ids, Objective.Status.ABANDONED]
            cursor.execute(_parts_sql(len(ids), include_children), params)
            rows = cursor.fetchall()
    for kind, objective_id, other_id, w, value, confidence, at in rows:
        part = (weight(w), decimal(value))
        if kind == 1:
            kr_parts.setdefault(objective_id, []).append(part)
            if objective_id == key_result.objective_id:
                siblings.append(SiblingState(other_id, confidence, when(at)))
        elif kind == 2:
            link_parts.setdefault(objective_id, []).append(part)
        else:
            outside.setdefault(objective_id, []).append(part)
    moved = _write(organisation, objectives, kr_parts, link_parts, outside) if objectives else {}
    own = next((o.progress for o in objectives if o.pk == key_result.objective_id), None)
    return CheckInRollup(moved, own if own is not None else key_result.objective.progress, siblings)


def recompute_key_result(kr: KeyResult) -> progress.KRProgress:
    return progress.key_result_progress(
        kr_type=kr.kr_type,
        baseline=kr.baseline,
        target=kr.target,
        current=kr.current_value,
        milestone_done=kr.milestone_done,
        ordinal_level=kr.ordinal_level,
    )


def recompute_organisation(organisation: Organisation) -> tuple[int, int]:
    """Recompute every key result and objective of one organisation from stored values.
    Returns (key results changed, objectives changed)."""
    changed_krs = []
    for kr in KeyResult.objects.for_org(organisation).only(
        "kr_type",
        "baseline",
        "target",
        "current_value",
        "milestone_done",
        "ordinal_level",
        "progress",
        "progress_raw",
    ):
        result = recompute_key_result(kr)
        if (kr.progress, kr.progress_raw) != (result.progress, result.raw):
            kr.progress, kr.progress_raw = result.progress, result.raw
            changed_krs.append(kr)
    if changed_krs:
        KeyResult.objects.for_org(organisation).bulk_update(
            changed_krs, ["progress", "progress_raw"], batch_size=500
        )
    objectives = list(
        Objective.objects.for_org(organisation).only(*[f for f in _FIELDS if f != "pk"])
    )
    return len(changed_krs), len(_apply(organisation, objectives, complete=True))
