"""An objective's page: the objective, its key results with their check-in history and
initiatives, alignment up and down, counted links, contributors, the retrospective.

Every query of the page has the same shape on every visit, only the ids change: each is built
and compiled once per process (core/prepared.py). Building and compiling the page's dozen
querysets was most of its Python (perf/LOAD_RESULTS.md: the ORM 64% of the page under load);
the rows now come as the same model instances, or as plain tuples where the page reads a few
columns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import connections, router
from django.db.models import Count, F, QuerySet
from django.http import Http404
from django.utils import timezone

from okrcoach.core.prepared import Prepared
from okrcoach.orgs.models import Membership
from okrcoach.orgs.selectors import _subtree_sql

from .. import progress
from ..coach_set import OwnerCount
from ..models import (
    CheckIn,
    ContributionLink,
    Cycle,
    Initiative,
    KeyResult,
    Objective,
    Retrospective,
)
from ..permissions import Reach
from .pages import (
    CHART_POINTS,
    HISTORY_SHOWN,
    ChartPoint,
    ChildRow,
    KRDetail,
    KRRow,
    LinkRow,
    ObjectivePage,
)

# --- the queries, built once per process ----------------------------------------------------


def _objective_query(_shape: object, *, org_id: int, pk: int) -> QuerySet[Any]:
    """The objective joined as its page shows it (lookups.get_objective's joins); whether the
    reader may see it and its parent is decided on the row (Reach.can_view), so the query names
    no reader and no reporting subtree."""
    return (
        Objective.objects.for_org(org_id)
        .select_related("owner__user", "team", "cycle")
        .filter(pk=pk)
        .order_by()
    )


def _related_objectives_query(_shape: object, *, org_id: int, pks: list[int]) -> QuerySet[Any]:
    """The objective's parent and the one it was carried from, with their owners: apart from
    the objective's own query, which PostgreSQL planned four times longer with these two
    self-joins and their owners (1.4 against 0.4 ms; its execution takes 0.1 ms)."""
    return (
        Objective.objects.for_org(org_id)
        .select_related("owner__user")
        .filter(pk__in=pks)
        .order_by()
    )


def _key_results_query(_shape: object, *, org_id: int, pk: int) -> QuerySet[Any]:
    return KeyResult.objects.for_org(org_id).select_related("owner__user").filter(objective_id=pk)


def _initiatives_query(_shape: object, *, org_id: int, pks: list[int]) -> QuerySet[Any]:
    return (
        Initiative.objects.for_org(org_id)
        .select_related("owner__user")
        .filter(key_result_id__in=pks)
    )


def _check_ins(org_id: int) -> QuerySet[Any]:
    # The author's name as a column: three models per row (check-in, membership, user) were
    # built only to read it.
    return CheckIn.objects.for_org(org_id).annotate(author_name=F("author__user__full_name"))


def _listed_check_ins_query(_shape: object, *, org_id: int, pks: list[int]) -> QuerySet[Any]:
    return _check_ins(org_id).filter(pk__in=pks)


def _every_check_in_query(_shape: object, *, org_id: int, pks: list[int]) -> QuerySet[Any]:
    return _check_ins(org_id).filter(key_result_id__in=pks)


def _children_query(_shape: object, *, org_id: int, pk: int) -> QuerySet[Any]:
    """Every objective aligned to this one, with what the visibility rule reads (the last two
    columns): the reader's rule is applied to the rows (Reach.can_view_row). A list of the
    reporting subtree's ids in the SQL made it too long for the driver's cache of parsed
    statements, and a rule in SQL is no cheaper for the few children of one objective."""
    return (
        Objective.objects.for_org(org_id)
        .filter(parent_id=pk)
        .values_list(
            "pk",
            "public_id",
            "title",
            "progress",
            "owner__user__full_name",
            "team__name",
            "visibility",
            "owner_id",
        )
    )


def _links_query(_shape: object, *, org_id: int, pk: int) -> QuerySet[Any]:
    """This objective's counted key results, with what the visibility rule reads of their
    objectives (the last two columns; this objective is the page's, which the reader sees)."""
    return (
        ContributionLink.objects.for_org(org_id)
        .filter(objective_id=pk)
        .values_list(
            "key_result__objective_id",
            "key_result__objective__public_id",
            "key_result__title",
            "key_result__owner__user__full_name",
            "weight",
            "key_result__objective__visibility",
            "key_result__objective__owner_id",
        )
    )


def _open_cycles_query(_shape: object, *, org_id: int) -> QuerySet[Any]:
    return Cycle.objects.for_org(org_id).filter(
        state__in=[Cycle.State.PLANNING, Cycle.State.ACTIVE]
    )


def _retrospective_query(_shape: object, *, org_id: int, pk: int) -> QuerySet[Any]:
    # As .first(): the lowest id (the constraint allows one per objective).
    return Retrospective.objects.for_org(org_id).filter(objective_id=pk).order_by("pk")[:1]


def _contributors_query(_shape: object, *, pk: int) -> QuerySet[Any]:
    # What objective.contributors.select_related("user").order_by("pk") runs.
    return (
        Membership._default_manager.filter(contributed_objectives=pk)
        .select_related("user")
        .order_by("pk")
    )


def _owner_count_query(per: str, *, org_id: int, cycle_id: int, owner_id: int) -> QuerySet[Any]:
    """coach_set.owner_objective_count as one grouped row (none when the count is 0); `owner_id`
    is the owner's for "person", the team's for "team"."""
    rows = Objective.objects.for_org(org_id).filter(cycle_id=cycle_id)
    rows = rows.filter(owner_id=owner_id) if per == "person" else rows.filter(team_id=owner_id)
    return rows.order_by().values("organisation_id").annotate(n=Count("pk")).values_list("n")


OBJECTIVE = Prepared(Objective, _objective_query)
RELATED_OBJECTIVES = Prepared(Objective, _related_objectives_query)
KEY_RESULTS = Prepared(KeyResult, _key_results_query)
INITIATIVES = Prepared(Initiative, _initiatives_query)
LISTED_CHECK_INS = Prepared(CheckIn, _listed_check_ins_query)
EVERY_CHECK_IN = Prepared(CheckIn, _every_check_in_query)
CHILDREN = Prepared(Objective, _children_query)
LINKS = Prepared(ContributionLink, _links_query)
OPEN_CYCLES = Prepared(Cycle, _open_cycles_query)
RETROSPECTIVE = Prepared(Retrospective, _retrospective_query)
CONTRIBUTORS = Prepared(Membership, _contributors_query)
OWNER_COUNT = Prepared(Objective, _owner_count_query)


# --- the objective and the reader's reach -----------------------------------------------------


def _lookup_sql(alias: str) -> str:
    table = connections[alias].ops.quote_name(Objective._meta.db_table)
    personal = f"(o.level = '{Objective.Level.PERSONAL}' OR o.team_id IS NULL)"
    count = (
        f"SELECT COUNT(*) FROM {table} x WHERE x.organisation_id = o.organisation_id"  # noqa: S608
        " AND x.cycle_id = o.cycle_id AND x.{column} = o.{column}"
    )
    of_it = f"FROM {table} o WHERE o.organisation_id = %s AND o.public_id = %s"
    # Quoted table name and constants only; every value is a bound parameter.
    return (
        f"SELECT 0, id {of_it}"  # noqa: S608
        f" UNION ALL SELECT 1, id FROM ({_subtree_sql()}) s"
        # coach_set.owner_objective_count: of its owner for a personal objective, else its team
        f" UNION ALL SELECT 2, ({count.format(column='owner_id')}) {of_it} AND {personal}"
        f" UNION ALL SELECT 3, ({count.format(column='team_id')}) {of_it} AND NOT {personal}"
    )


def _lookup(
    actor: Membership, objective_id: UUID | str
) -> tuple[int | None, set[int], OwnerCount | None]:
    """The id of the organisation's objective with this public id (None if there is none),
    the actor's reporting subtree and the objective count of its owner or team (SET-02): one
    query, where the lookup, Reach and the count took one each."""
    alias = router.db_for_read(Objective)
    connection = connections[alias]
    try:
        public_id = Objective._meta.get_field("public_id").get_db_prep_value(
            objective_id, connection
        )
    except (ValueError, TypeError) as exc:
        raise Http404("No such objective.") from exc
    org_id = actor.organisation_id
    with connection.cursor() as cursor:
        cursor.execute(
            _lookup_sql(alias),
            [org_id, public_id, actor.pk, org_id, org_id, public_id, org_id, public_id],
        )
        rows = cursor.fetchall()
    found = {kind: value for kind, value in rows if kind != 1}
    owner_count: OwnerCount | None = None
    if 2 in found:
        owner_count = (found[2], "person")
    elif 3 in found:
        owner_count = (found[3], "team")
    return found.get(0), {value for kind, value in rows if kind == 1}, owner_count


@dataclass(frozen=True)
class PageLookup:
    """What the objective page's first two queries give: the objective (joined as
    lookups.get_objective joins it), the actor's Reach and the count for the coach's SET-02."""

    objective: Objective
    reach: Reach
    owner_count: OwnerCount | None


def get_objective_for_page(actor: Membership, objective_id: UUID | str) -> PageLookup:
    """The objective as lookups.get_objective gives it (404 when absent, of another
    organisation or not visible to the actor; a parent the actor may not see comes out as
    None), with the actor's Reach: two queries, three when it has a parent or was carried over."""
    pk, subtree, owner_count = _lookup(actor, objective_id)
    if pk is None:
        raise Http404("No such objective.")
    reach = Reach(actor, subtree=subtree)
    org_id = actor.organisation_id
    found = OBJECTIVE((), org_id=org_id, pk=pk)
    if not found or not reach.can_view(found[0]):
        raise Http404("No such objective.")
    objective: Objective = found[0]
    related = [i for i in (objective.parent_id, objective.carried_from_id) if i is not None]
    by_pk = (
        {o.pk: o for o in RELATED_OBJECTIVES((), org_id=org_id, pks=sorted(related))}
        if related
        else {}
    )
    parent = by_pk.get(objective.parent_id) if objective.parent_id is not None else None
    if parent is not None and not reach.can_view(parent):
        parent = None
    Objective._meta.get_field("parent").set_cached_value(objective, parent)
    carried_from = by_pk.get(objective.carried_from_id) if objective.carried_from_id else None
    Objective._meta.get_field("carried_from").set_cached_value(objective, carried_from)
    return PageLookup(objective, reach, owner_count)


# --- the check-in history ---------------------------------------------------------------------


def _latest_points_sql(alias: str) -> str:
    # Quoted table name only; every value is a bound parameter.
    table = connections[alias].ops.quote_name(CheckIn._meta.db_table)
    latest = (
        f"SELECT key_result_id, id, created_at, value, progress FROM {table}"  # noqa: S608
        " WHERE organisation_id = %s AND key_result_id = k.id"
        " ORDER BY created_at DESC, id DESC LIMIT %s"
    )
    return (
        "SELECT c.key_result_id, c.id, c.created_at, c.value, c.progress"  # noqa: S608
        f" FROM unnest(%s::bigint[]) AS k(id) CROSS JOIN LATERAL ({latest}) c"
    )


def _latest_points(
    org_id: int, key_result_ids: list[int]
) -> dict[int, list[tuple[int, ChartPoint]]]:
    """The latest CHART_POINTS check-ins of each key result as (pk, point), newest first: one
    query, a LIMIT per key result on the (organisation, key result, created_at) index, so it
    reads the same few rows however long a history grows (a window function over the whole
    history read and sorted every check-in, with its author joined, on every visit)."""
    if not key_result_ids:
        return {}
    alias = router.db_for_read(CheckIn)
    if connections[alias].vendor == "postgresql":
        # One LATERAL join, written once: the ORM's UNION of a subquery per key result cost
        # more to build and compile than PostgreSQL took to run it.
        with connections[alias].cursor() as cursor:
            cursor.execute(_latest_points_sql(alias), [key_result_ids, org_id, CHART_POINTS])
            rows: Iterable[tuple[int, int, datetime, Decimal | None, Decimal]] = cursor.fetchall()
    else:
        check_ins = CheckIn.objects.for_org(org_id)
        # Each part picks its ids in a subquery: SQLite refuses a LIMIT directly inside a UNION.
        parts = [
            check_ins.filter(
                pk__in=check_ins.filter(key_result_id=kr_id)
                .order_by("-created_at", "-pk")
                .values("pk")[:CHART_POINTS]
            )
            .order_by()
            .values_list("key_result_id", "pk", "created_at", "value", "progress")
            for kr_id in key_result_ids
        ]
        rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    points: dict[int, list[tuple[int, ChartPoint]]] = {kr_id: [] for kr_id in key_result_ids}
    for kr_id, pk, created_at, value, done in rows:
        points[kr_id].append((pk, ChartPoint(created_at, value, done)))
    for listed in points.values():
        listed.sort(key=lambda pair: (pair[1].created_at, pair[0]), reverse=True)
    return points


def _check_in_history(
    org_id: int, key_result_ids: list[int], *, all_check_ins: bool
) -> tuple[dict[int, list[CheckIn]], dict[int, list[ChartPoint]], set[int]]:
    """Per key result: the check-ins listed (newest first), the points charted (oldest first),
    and which key results have more check-ins than listed. Two queries: the points as plain
    columns, then only the listed check-ins as models with their authors' names."""
    listed: dict[int, list[CheckIn]] = {kr_id: [] for kr_id in key_result_ids}
    if all_check_ins:
        everything = EVERY_CHECK_IN((), org_id=org_id, pks=key_result_ids) if key_result_ids else []
        for c in everything:
            listed[c.key_result_id].append(c)
        charted = {
            kr_id: [ChartPoint(c.created_at, c.value, c.progress) for c in reversed(rows)]
            for kr_id, rows in listed.items()
        }
        return listed, charted, set()
    latest = _latest_points(org_id, key_result_ids)
    wanted = sorted(pk for pairs in latest.values() for pk, _point in pairs[:HISTORY_SHOWN])
    for c in LISTED_CHECK_INS((), org_id=org_id, pks=wanted) if wanted else []:
        listed[c.key_result_id].append(c)
    charted = {kr_id: [point for _pk, point in reversed(pairs)] for kr_id, pairs in latest.items()}
    more = {kr_id for kr_id, pairs in latest.items() if len(pairs) > HISTORY_SHOWN}
    return listed, charted, more


# --- the page ---------------------------------------------------------------------------------


def _key_results_with_initiatives(
    org_id: int, objective: Objective
) -> tuple[list[KeyResult], dict[int, list[Initiative]]]:
    krs: list[KeyResult] = KEY_RESULTS((), org_id=org_id, pk=objective.pk)
    objective_field = KeyResult._meta.get_field("objective")
    initiatives: dict[int, list[Initiative]] = {kr.pk: [] for kr in krs}
    for kr in krs:
        objective_field.set_cached_value(kr, objective)
    if krs:
        for i in INITIATIVES((), org_id=org_id, pks=[kr.pk for kr in krs]):
            initiatives[i.key_result_id].append(i)
    return krs, initiatives


def _owner_count(objective: Objective) -> tuple[int, str]:
    """coach_set.owner_objective_count's figures, by a prepared query."""
    personal = objective.level == Objective.Level.PERSONAL or not objective.team_id
    per = "person" if personal else "team"
    rows = OWNER_COUNT(
        per,
        org_id=objective.organisation_id,
        cycle_id=objective.cycle_id,
        owner_id=objective.owner_id if personal else objective.team_id,  # type: ignore[arg-type]
    )
    return (rows[0][0] if rows else 0), per


def _later_cycles(org_id: int, objective: Objective) -> list[Cycle]:
    """Cycles in planning or running that start after the objective's (to carry it into)."""
    starts_on = objective.cycle.starts_on
    return [c for c in OPEN_CYCLES((), org_id=org_id) if c.starts_on > starts_on]


def objective_page(
    actor: Membership,
    objective: Objective,
    *,
    all_check_ins: bool = False,
    reach: Reach | None = None,
    owner_count: OwnerCount | None = None,
) -> ObjectivePage:
    """Key results with their check-in history and initiatives, alignment up (joined on the
    objective) and down (visible children), linked key results, the retrospective.
    `reach` and `owner_count`: when the caller has them (get_objective_for_page)."""
    org_id = actor.organisation_id
    reach = reach if reach is not None else Reach(actor)
    today = timezone.localdate()
    krs, initiatives = _key_results_with_initiatives(org_id, objective)
    listed, charted, more = _check_in_history(
        org_id, [kr.pk for kr in krs], all_check_ins=all_check_ins
    )
    details = [
        KRDetail(
            row=KRRow(kr, objective, reach.can_check_in(kr, objective), today),
            check_ins=listed[kr.pk],
            initiatives=initiatives[kr.pk],
            chart_history=charted[kr.pk],
            more_check_ins=kr.pk in more,
        )
        for kr in krs
    ]
    children = [
        ChildRow(*row[:6])
        for row in CHILDREN((), org_id=org_id, pk=objective.pk)
        if reach.can_view_row(*row[6:])
    ]
    links = [
        LinkRow(*row[:5])
        for row in LINKS((), org_id=org_id, pk=objective.pk)
        if reach.can_view_row(*row[5:])
    ]
    can_edit = reach.can_edit(objective)
    later = _later_cycles(org_id, objective) if can_edit and objective.progress < 1 else []
    retrospective = RETROSPECTIVE((), org_id=org_id, pk=objective.pk)
    return ObjectivePage(
        objective=objective,
        key_results=details,
        children=children,
        links=links,
        retrospective=retrospective[0] if retrospective else None,
        can_edit=can_edit,
        band=progress.score_band(objective.progress),
        later_cycles=later,
        contributors=CONTRIBUTORS((), pk=objective.pk),
        owner_count=owner_count if owner_count is not None else _owner_count(objective),
    )
