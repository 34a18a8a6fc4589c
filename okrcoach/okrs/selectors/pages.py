"""The OKR pages: My OKRs, an objective's page, a team's OKRs, grading. Rows come joined and
prefetched, with what the actor may do on each already decided."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import Any, NamedTuple
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db import connections, router
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from okrcoach.core.prepared import Prepared, never_prepared
from okrcoach.orgs.models import Membership, Organisation, Role, Team
from okrcoach.orgs.selectors import subtree_ids

from .. import pace as pace_rules
from .. import progress
from ..cadence import is_due_soon
from ..charts import Chart, check_in_chart
from ..coach_set import SetView, set_view
from ..models import (
    CheckIn,
    Cycle,
    Initiative,
    KeyResult,
    Objective,
    ObjectiveQuerySet,
    Retrospective,
)
from ..permissions import SUBTREE_LITERAL_MAX, Reach, visible_q
from .cycles import pick_cycle
from .lookups import get_key_result


def _key_results(organisation: Organisation) -> QuerySet[KeyResult]:
    return KeyResult.objects.for_org(organisation).select_related("owner__user")


def objectives_with_krs(organisation: Organisation) -> ObjectiveQuerySet:
    return (
        Objective.objects.for_org(organisation)
        .select_related("owner__user", "team", "cycle", "parent")
        .prefetch_related(Prefetch("key_results", queryset=_key_results(organisation)))
    )


@dataclass(frozen=True)
class KRRow:
    kr: KeyResult
    objective: Objective
    can_check_in: bool
    today: date

    @property
    def is_late(self) -> bool:
        return self.kr.is_late(self.today)

    @property
    def is_due(self) -> bool:
        return is_due_soon(self.kr.next_check_in_due, self.today)

    @property
    def accepts_check_ins(self) -> bool:
        return self.objective.cycle.accepts_check_ins

    @property
    def band(self) -> str | None:
        return progress.score_band(self.kr.progress)

    @property
    def confidence_band(self) -> str | None:
        return progress.confidence_band(self.kr.confidence)

    @property
    def pace(self) -> pace_rules.Pace | None:
        """Pace-aware status during an active cycle (okrs/pace.py); None otherwise."""
        return kr_pace(self.kr, self.objective.cycle, self.today)


@dataclass(frozen=True)
class ObjectiveCard:
    objective: Objective
    rows: list[KRRow]
    can_edit: bool

    @property
    def band(self) -> str | None:
        return progress.score_band(self.objective.progress)

    @property
    def pace(self) -> pace_rules.Pace | None:
        return objective_pace(self.objective, [r.kr for r in self.rows], timezone.localdate())


def kr_pace(kr: KeyResult, cycle: Cycle, today: date) -> pace_rules.Pace | None:
    if cycle.state != Cycle.State.ACTIVE:
        return None
    return pace_rules.pace_status(
        progress=kr.progress,
        confidence=kr.confidence,
        last_check_in=kr.last_check_in_at,
        starts_on=cycle.starts_on,
        ends_on=cycle.ends_on,
        today=today,
    )


def objective_pace(
    objective: Objective, key_results: list[KeyResult], today: date
) -> pace_rules.Pace | None:
    """An objective's progress against pace, with the lowest confidence of its key results and
    stale when its freshest check-in is stale."""
    cycle = objective.cycle
    if cycle.state != Cycle.State.ACTIVE:
        return None
    confidences = [kr.confidence for kr in key_results if kr.confidence is not None]
    latest = max((kr.last_check_in_at for kr in key_results if kr.last_check_in_at), default=None)
    return pace_rules.pace_status(
        progress=objective.progress,
        confidence=min(confidences) if confidences else None,
        last_check_in=latest,
        starts_on=cycle.starts_on,
        ends_on=cycle.ends_on,
        today=today,
    )


def _cards(
    objectives: list[Objective],
    reach: Reach,
    today: date,
    key_results: dict[int, list[KeyResult]] | None = None,
) -> list[ObjectiveCard]:
    """`key_results` by objective id (`_card_objectives`), else each objective's prefetched."""
    return [
        ObjectiveCard(
            objective=o,
            rows=[
                KRRow(kr=kr, objective=o, can_check_in=reach.can_check_in(kr, o), today=today)
                for kr in (
                    key_results.get(o.pk, []) if key_results is not None else o.key_results.all()
                )
            ],
            can_edit=reach.can_edit(o),
        )
        for o in objectives
    ]


def _stand_in(org_id: int, actor_id: int, sees_everything: bool) -> Membership:
    """The actor as far as the visibility rule reads it (id, organisation, role)."""
    role = Role.ADMIN if sees_everything else Role.MEMBER
    return Membership(pk=actor_id, organisation_id=org_id, role=role)


def _my_ids(_shape: object, *, org_id: int, actor_id: int, cycle_id: int) -> QuerySet[Any]:
    """Ids first, each from an indexed lookup, then one fetch: an OR across the contributor and
    key-result joins made the database scan every objective of the cycle (perf/README.md), and
    so did the ids as a subquery of the fetch."""
    owned = (
        Objective.objects.for_org(org_id)
        .filter(cycle_id=cycle_id, owner_id=actor_id)
        .order_by()
        .values_list("pk")
    )
    contributed = (
        Objective.contributors.through.objects.filter(
            membership_id=actor_id, objective__cycle_id=cycle_id
        )
        .order_by()
        .values_list("objective_id")
    )
    kr_owned = (
        KeyResult.objects.for_org(org_id)
        .filter(owner_id=actor_id, objective__cycle_id=cycle_id)
        .order_by()
        .values_list("objective_id")
    )
    return owned.union(contributed, kr_owned)


def _team_ids(_shape: object, *, org_id: int, team_id: int, cycle_id: int) -> QuerySet[Any]:
    """The team's objectives and its members' personal ones, from two indexed lookups: an OR
    across the owner join scanned every objective of the cycle."""
    in_cycle = Objective.objects.for_org(org_id).filter(cycle_id=cycle_id).order_by()
    members = Membership.objects.for_org(org_id).filter(team_id=team_id).order_by().values("pk")
    return (
        in_cycle.filter(team_id=team_id)
        .values_list("pk")
        .union(in_cycle.filter(level=Objective.Level.PERSONAL, owner__in=members).values_list("pk"))
    )


def _card_key_results_query(_shape: object, *, org_id: int, pks: list[int]) -> Any:
    return _key_results(org_id).filter(objective_id__in=pks)  # type: ignore[arg-type]


# Every stored column of a card's objective and key results (fragments.card_key reads them
# all), then what a card shows of their owners and team and what Reach reads of the team.
_OBJECTIVE_COLUMNS = tuple(f.attname for f in Objective._meta.concrete_fields)
_KR_COLUMNS = tuple(f.attname for f in KeyResult._meta.concrete_fields)
_OWNER = ("owner__user_id", "owner__user__full_name")
_TEAM = ("team__name", "team__lead_id")


def _card_objective_rows_query(
    shape: tuple[bool, tuple[str, ...]],
    *,
    org_id: int,
    actor_id: int,
    pks: list[int],
    subtree: list[int],
) -> Any:
    """The visible, not abandoned objectives among `pks` as plain columns: the objective's, its
    owner's id and name, its team's name and lead. Not whether the reader may see the parent:
    a card never shows it, and its objective comes with none (`_card_objectives`), which spares
    the query a join and the visibility rule a second time."""
    sees_everything, order = shape
    actor = _stand_in(org_id, actor_id, sees_everything)
    return (
        Objective.objects.for_org(org_id)
        .filter(visible_q(actor, "", subtree), pk__in=pks)
        .exclude(status=Objective.Status.ABANDONED)
        .order_by(*order)
        .values_list(*_OBJECTIVE_COLUMNS, *_OWNER, *_TEAM)
    )


def _card_key_result_rows_query(_shape: object, *, org_id: int, pks: list[int]) -> Any:
    return _card_key_results_query((), org_id=org_id, pks=pks).values_list(*_KR_COLUMNS, *_OWNER)


# Built and compiled once per process (core/prepared.py): building and compiling these
# queries was most of My OKRs' and the team page's Python, many times the queries themselves.
MY_IDS = Prepared(Objective, _my_ids)
TEAM_IDS = Prepared(Objective, _team_ids)
CARD_OBJECTIVE_ROWS = Prepared(Objective, _card_objective_rows_query)
CARD_KEY_RESULT_ROWS = Prepared(KeyResult, _card_key_result_rows_query)


class _CardRows:
    """Model instances from a card query's plain rows. The owners and teams are partial
    (what a card shows: the owner's name, the team's name and lead; the rest deferred, so a
    read of anything else is a visible query, never a wrong value) and shared between the
    rows that name the same one: three to four full instances per row (select_related's
    objective, membership, user, team) were most of these pages' Python."""

    def __init__(self, org_id: int, alias: str) -> None:
        self.org_id = org_id
        self.alias = alias
        self.owners: dict[int, Membership] = {}
        self.teams: dict[int, Team] = {}

    def owner(self, owner_id: int, user_id: int, name: str) -> Membership:
        found = self.owners.get(owner_id)
        if found is None:
            found = Membership.from_db(
                self.alias, ["id", "organisation_id", "user_id"], (owner_id, self.org_id, user_id)
            )
            user = _USER_FIELD.related_model.from_db(
                self.alias, ["id", "full_name"], (user_id, name)
            )
            _USER_FIELD.set_cached_value(found, user)
            self.owners[owner_id] = found
        return found

    def team(self, team_id: int | None, name: str | None, lead_id: int | None) -> Team | None:
        if team_id is None:
            return None
        found = self.teams.get(team_id)
        if found is None:
            found = Team.from_db(
                self.alias,
                ["id", "organisation_id", "name", "lead_id"],
                (team_id, self.org_id, name, lead_id),
            )
            self.teams[team_id] = found
        return found


_USER_FIELD = Membership._meta.get_field("user")
_OWNER_FIELD = Objective._meta.get_field("owner")
_TEAM_FIELD = Objective._meta.get_field("team")
_CYCLE_FIELD = Objective._meta.get_field("cycle")
_PARENT_FIELD = Objective._meta.get_field("parent")
_KR_OWNER_FIELD = KeyResult._meta.get_field("owner")
_KR_OBJECTIVE_FIELD = KeyResult._meta.get_field("objective")


def _card_objectives(
    actor: Membership, reach: Reach, cycle: Cycle, pks: list[int], order: tuple[str, ...]
) -> tuple[list[Objective], dict[int, list[KeyResult]]]:
    """The cards' objectives among `pks` (of the page's cycle) that the actor may see and are
    not abandoned, and their key results by objective: two queries. The objectives and key
    results are whole; their owners and teams hold what a card reads (`_CardRows`)."""
    if not pks:
        return [], {}
    org_id = actor.organisation_id
    subtree = sorted(reach.subtree)
    fetch = (
        CARD_OBJECTIVE_ROWS if len(subtree) <= SUBTREE_LITERAL_MAX else CARD_OBJECTIVE_ROWS.plain
    )
    rows: list[tuple[Any, ...]] = fetch(
        (actor.sees_everything, order),
        org_id=org_id,
        actor_id=actor.pk,
        pks=sorted(set(pks)),
        subtree=[] if actor.sees_everything else subtree,
    )
    alias = router.db_for_read(Objective)
    made = _CardRows(org_id, alias)
    n = len(_OBJECTIVE_COLUMNS)
    objectives: list[Objective] = []
    for row in rows:
        o = Objective.from_db(alias, _OBJECTIVE_COLUMNS, row[:n])
        if o.cycle_id != cycle.pk:  # the ids are of the cycle: never, and never a wrong one
            raise ValueError(f"objective {o.pk} is not of cycle {cycle.pk}")
        user_id, name, team_name, lead_id = row[n : n + 4]
        _OWNER_FIELD.set_cached_value(o, made.owner(o.owner_id, user_id, name))
        _TEAM_FIELD.set_cached_value(o, made.team(o.team_id, team_name, lead_id))
        _CYCLE_FIELD.set_cached_value(o, cycle)
        # No parent, seen or not (a card does not show it): nothing reads it by a query.
        _PARENT_FIELD.set_cached_value(o, None)
        objectives.append(o)
    by_pk = {o.pk: o for o in objectives}
    key_results: dict[int, list[KeyResult]] = {pk: [] for pk in by_pk}
    if by_pk:
        k = len(_KR_COLUMNS)
        for row in CARD_KEY_RESULT_ROWS((), org_id=org_id, pks=sorted(by_pk)):
            kr = KeyResult.from_db(alias, _KR_COLUMNS, row[:k])
            _KR_OWNER_FIELD.set_cached_value(kr, made.owner(kr.owner_id, row[k], row[k + 1]))
            _KR_OBJECTIVE_FIELD.set_cached_value(kr, by_pk[kr.objective_id])
            key_results[kr.objective_id].append(kr)
    return objectives, key_results


@dataclass(frozen=True)
class MyOkrsPage:
    cycle: Cycle | None
    cycles: list[Cycle]
    cards: list[ObjectiveCard]
    today: date


def my_okrs_page(actor: Membership, cycle_id: str | None = None) -> MyOkrsPage:
    """The actor's objectives (owned, contributed to, or holding a key result they own)."""
    org = actor.organisation
    cycle, all_cycles = pick_cycle(org, cycle_id)
    today = timezone.localdate()
    if cycle is None:
        return MyOkrsPage(None, all_cycles, [], today)
    ids = MY_IDS(org_id=actor.organisation_id, actor_id=actor.pk, cycle_id=cycle.pk)
    reach = Reach(actor)
    objectives, key_results = _card_objectives(
        actor, reach, cycle, [pk for (pk,) in ids], ("level", "position", "created_at", "pk")
    )
    return MyOkrsPage(cycle, all_cycles, _cards(objectives, reach, today, key_results), today)


def key_result_row(actor: Membership, key_result_id: UUID | str) -> KRRow:
    """One key result as the My OKRs row shows it (after a check-in): 404 if not visible."""
    kr = get_key_result(actor, key_result_id)
    reach = Reach(actor)
    return KRRow(kr, kr.objective, reach.can_check_in(kr, kr.objective), timezone.localdate())


class ChartPoint(NamedTuple):
    """One check-in as the chart plots it: three columns, no model instance."""

    created_at: datetime
    value: Decimal | None
    progress: Decimal


@dataclass(frozen=True)
class KRDetail:
    row: KRRow
    check_ins: list[CheckIn]  # newest first
    initiatives: list[Initiative]
    # What the chart plots, oldest first; drawn only when the block is rendered, not taken from
    # the cache (okrs/fragments.py).
    chart_history: list[ChartPoint]
    more_check_ins: bool = False  # the history shows the latest HISTORY_SHOWN of more

    @cached_property
    def chart(self) -> Chart | None:
        return check_in_chart(self.row.kr, self.row.objective.cycle, self.chart_history)


class ChildRow(NamedTuple):
    """An objective aligned to the page's one, as its "Aligned to this" line shows it."""

    pk: int
    public_id: UUID
    title: str
    progress: Decimal
    owner_name: str
    team_name: str | None


class LinkRow(NamedTuple):
    """A key result of another objective counted in the page's one ("Key results of other
    teams counted here"): plain columns, no models."""

    objective_id: int  # of the key result's objective
    objective_public_id: UUID
    title: str
    owner_name: str
    weight: Decimal


@dataclass(frozen=True)
class ObjectivePage:
    objective: Objective
    key_results: list[KRDetail]
    children: list[ChildRow]
    links: list[LinkRow]
    retrospective: Retrospective | None
    can_edit: bool
    band: str | None
    later_cycles: list[Cycle] = field(default_factory=list)
    contributors: list[Membership] = field(default_factory=list)
    # (objectives of its team, or of its owner for a personal one, in the cycle; "team"|"person")
    owner_count: tuple[int, str] | None = None

    @cached_property
    def pace(self) -> pace_rules.Pace | None:
        krs = [d.row.kr for d in self.key_results]
        return objective_pace(self.objective, krs, timezone.localdate())

    @cached_property
    def coach_set(self) -> SetView:
        """The coach's review of the objective with its key results (no query)."""
        return set_view(self.objective, [d.row.kr for d in self.key_results], self.owner_count)


# The objective page lists the latest check-ins of each key result and charts a year of weekly
# ones; "show all" (all_check_ins=True) lists every one. A key result checked in daily for a
# year would otherwise load and render hundreds of rows on every visit.
HISTORY_SHOWN = 10
CHART_POINTS = 60  # more than HISTORY_SHOWN: the rows listed are picked from the points charted


@dataclass(frozen=True)
class TeamOkrsPage:
    team: Team
    cycle: Cycle | None
    cycles: list[Cycle]
    team_cards: list[ObjectiveCard]
    personal_cards: list[ObjectiveCard]


def team_okrs_page(actor: Membership, team: Team, cycle_id: str | None = None) -> TeamOkrsPage:
    org = actor.organisation
    cycle, all_cycles = pick_cycle(org, cycle_id)
    if cycle is None:
        return TeamOkrsPage(team, None, all_cycles, [], [])
    ids = TEAM_IDS(org_id=actor.organisation_id, team_id=team.pk, cycle_id=cycle.pk)
    reach = Reach(actor)
    objectives, key_results = _card_objectives(
        actor, reach, cycle, [pk for (pk,) in ids], ("level", "position", "pk")
    )
    cards = _cards(objectives, reach, timezone.localdate(), key_results)
    return TeamOkrsPage(
        team=team,
        cycle=cycle,
        cycles=all_cycles,
        team_cards=[c for c in cards if c.objective.level != Objective.Level.PERSONAL],
        personal_cards=[c for c in cards if c.objective.level == Objective.Level.PERSONAL],
    )


# The grading page lists this many objectives at a time: an admin may grade every objective
# of the organisation, and at 10,000 people all of them (11,000 objectives, 34,000 key results)
# took 11-30 s to load and render, past gunicorn's timeout (perf/LOAD_RESULTS.md, 4 Dec 2026).
GRADING_PAGE_SIZE = 50


@dataclass(frozen=True)
class GradingPage:
    cycle: Cycle
    cards: list[ObjectiveCard]
    # The page of objectives shown (`page_number` given), None when `cards` are all of them.
    pager: Page[Objective] | None = None

    @property
    def is_open(self) -> bool:
        return self.cycle.state == Cycle.State.GRADING


# _GRADING_UNPREPARED: the page's objectives are planned with their parameters every time
# (core.prepared.never_prepared): a cycle-wide query whose best plan depends on the reader's reach
# and the organisation's size. After five runs on a connection PostgreSQL kept a generic plan
# that took 43-77 ms instead of 6-16 for a department head or a member at 10,000 people
# (perf/LOAD_RESULTS.md, 4 Dec 2026).
def _gradable(actor: Membership, cycle: Cycle) -> QuerySet[Objective]:
    org = actor.organisation
    qs = (
        objectives_with_krs(org)
        .visible_to(actor)
        .filter(cycle=cycle)
        .exclude(status=Objective.Status.ABANDONED)
    )
    if not actor.is_admin:
        qs = qs.filter(Q(owner=actor) | Q(owner__in=subtree_ids(actor)) | Q(team__lead=actor))
    return qs.order_by("level", "position", "pk")


def grading_page(
    actor: Membership, cycle: Cycle, *, page_number: int | str | None = None
) -> GradingPage:
    """Objectives of the cycle the actor may grade: their own, their reports', their team's,
    or all for an admin. With `page_number`, one page of GRADING_PAGE_SIZE of them (two queries
    more: the count and the page's key results); without, all of them."""
    qs = _gradable(actor, cycle)
    pager: Page[Objective] | None = None
    with never_prepared(connections[router.db_for_read(Objective)]):  # see _GRADING_UNPREPARED
        if page_number is None:
            objectives = list(qs)
        else:
            pager = Paginator(qs, GRADING_PAGE_SIZE).get_page(page_number)
            objectives = list(pager.object_list)
            pager.object_list = objectives
    return GradingPage(cycle, _cards(objectives, Reach(actor), timezone.localdate()), pager)


@dataclass(frozen=True)
class GradingSheet:
    """One page of the grading sheet as the API lists it: past the last page, no cards."""

    cycle: Cycle
    cards: list[ObjectiveCard]
    count: int
    page: int
    page_size: int

    @property
    def is_open(self) -> bool:
        return self.cycle.state == Cycle.State.GRADING

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.page_size))


def grading_sheet(actor: Membership, cycle: Cycle, *, page: int, page_size: int) -> GradingSheet:
    """`grading_page`'s objectives, `page_size` at a time (the API's paging: a page past the
    end is empty, not the last one): the count, the page and its key results."""
    qs = _gradable(actor, cycle)
    start = (page - 1) * page_size
    with never_prepared(connections[router.db_for_read(Objective)]):  # see _GRADING_UNPREPARED
        count = qs.count()
        objectives = list(qs[start : start + page_size]) if start < count else []
    cards = _cards(objectives, Reach(actor), timezone.localdate())
    return GradingSheet(cycle, cards, count, page, page_size)


def person_objectives(viewer: Membership, person: Membership) -> list[Objective]:
    """The person's published objectives in running cycles that the viewer may see: one query."""
    return list(
        Objective.objects.for_org(viewer.organisation)
        .visible_to(viewer)
        .filter(
            owner=person,
            status=Objective.Status.PUBLISHED,
            cycle__state__in=[Cycle.State.ACTIVE, Cycle.State.GRADING],
        )
        .select_related("cycle", "team")
        .order_by("-cycle__starts_on", "position", "pk")
    )
