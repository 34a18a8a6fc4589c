"""Reads for OKR pages. Each returns a page dataclass whose rows are already joined and
prefetched: templates read attributes and run no query, and every page costs the same number of
queries whatever the number of objectives."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from okrcoach.orgs.models import Membership, Organisation, Team
from okrcoach.orgs.selectors import subtree_ids

from . import progress
from .charts import Chart, check_in_chart
from .models import (
    CheckIn,
    ContributionLink,
    Cycle,
    Initiative,
    KeyResult,
    Objective,
    Retrospective,
)
from .permissions import Reach, visible_q


def cycles(organisation: Organisation) -> list[Cycle]:
    return list(Cycle.objects.for_org(organisation).order_by("-starts_on", "-pk"))


def current_cycle(organisation: Organisation, today: date | None = None) -> Cycle | None:
    """The active cycle whose dates include today, else the latest active one: one query."""
    today = today or timezone.localdate()
    active = list(
        Cycle.objects.for_org(organisation).filter(state=Cycle.State.ACTIVE).order_by("-starts_on")
    )
    for cycle in active:
        if cycle.starts_on <= today <= cycle.ends_on:
            return cycle
    return active[0] if active else None


def pick_cycle(
    organisation: Organisation, cycle_id: str | None
) -> tuple[Cycle | None, list[Cycle]]:
    """The cycle named in ?cycle=, else the current one, with every cycle for the switcher."""
    all_cycles = cycles(organisation)
    if cycle_id:
        chosen = next((c for c in all_cycles if str(c.public_id) == cycle_id), None)
        if chosen is not None:
            return chosen, all_cycles
    today = timezone.localdate()
    active = [c for c in all_cycles if c.state == Cycle.State.ACTIVE]
    current = next((c for c in active if c.starts_on <= today <= c.ends_on), None)
    return current or (active[0] if active else (all_cycles[0] if all_cycles else None)), all_cycles


def _key_results(organisation: Organisation) -> QuerySet[KeyResult]:
    return KeyResult.objects.for_org(organisation).select_related("owner__user")


def objectives_with_krs(organisation: Organisation) -> QuerySet[Objective]:
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
        due = self.kr.next_check_in_due
        return due is None or self.today <= due <= self.today + timedelta(days=6)

    @property
    def accepts_check_ins(self) -> bool:
        return self.objective.cycle.accepts_check_ins

    @property
    def band(self) -> str | None:
        return progress.score_band(self.kr.progress)

    @property
    def confidence_band(self) -> str | None:
        return progress.confidence_band(self.kr.confidence)


@dataclass(frozen=True)
class ObjectiveCard:
    objective: Objective
    rows: list[KRRow]
    can_edit: bool

    @property
    def band(self) -> str | None:
        return progress.score_band(self.objective.progress)


def _cards(objectives: list[Objective], reach: Reach, today: date) -> list[ObjectiveCard]:
    return [
        ObjectiveCard(
            objective=o,
            rows=[
                KRRow(kr=kr, objective=o, can_check_in=reach.can_check_in(kr, o), today=today)
                for kr in o.key_results.all()
            ],
            can_edit=reach.can_edit(o),
        )
        for o in objectives
    ]


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
    # Ids first, each from an indexed lookup, then one fetch: an OR across the contributor and
    # key-result joins made the database scan every objective of the cycle (perf/README.md).
    owned = (
        Objective.objects.for_org(org).filter(cycle=cycle, owner=actor).order_by().values_list("pk")
    )
    contributed = (
        Objective.contributors.through.objects.filter(membership=actor, objective__cycle=cycle)
        .order_by()
        .values_list("objective_id")
    )
    kr_owned = (
        KeyResult.objects.for_org(org)
        .filter(owner=actor, objective__cycle=cycle)
        .order_by()
        .values_list("objective_id")
    )
    ids = [pk for (pk,) in owned.union(contributed, kr_owned)]
    objectives = list(
        objectives_with_krs(org)
        .filter(pk__in=ids)
        .exclude(status=Objective.Status.ABANDONED)
        .order_by("level", "position", "created_at", "pk")
    )
    return MyOkrsPage(cycle, all_cycles, _cards(objectives, Reach(actor), today), today)


def key_result_row(actor: Membership, key_result_id: UUID | str) -> KRRow:
    """One key result as the My OKRs row shows it (after a check-in): 404 if not visible."""
    kr = get_key_result(actor, key_result_id)
    reach = Reach(actor)
    return KRRow(kr, kr.objective, reach.can_check_in(kr, kr.objective), timezone.localdate())


def get_objective(actor: Membership, objective_id: UUID | str) -> Objective:
    """An objective the actor may see, joined for its pages; 404 otherwise (a private objective
    is not revealed to those who cannot see it)."""
    try:
        return (
            Objective.objects.for_org(actor.organisation)
            .select_related("owner__user", "team", "cycle", "parent__owner__user", "carried_from")
            .filter(visible_q(actor))
            .get(public_id=objective_id)
        )
    except (Objective.DoesNotExist, ValueError) as exc:
        raise Http404("No such objective.") from exc


def get_key_result(actor: Membership, key_result_id: UUID | str) -> KeyResult:
    try:
        return (
            KeyResult.objects.for_org(actor.organisation)
            .select_related(
                "owner__user",
                "owner__team",
                "objective__cycle",
                "objective__team",
                "objective__owner",
            )
            .filter(visible_q(actor, "objective__"))
            .get(public_id=key_result_id)
        )
    except (KeyResult.DoesNotExist, ValueError) as exc:
        raise Http404("No such key result.") from exc


@dataclass(frozen=True)
class KRDetail:
    row: KRRow
    check_ins: list[CheckIn]  # newest first
    initiatives: list[Initiative]
    chart: Chart | None


@dataclass(frozen=True)
class ObjectivePage:
    objective: Objective
    key_results: list[KRDetail]
    children: list[Objective]
    links: list[ContributionLink]
    retrospective: Retrospective | None
    can_edit: bool
    band: str | None
    later_cycles: list[Cycle] = field(default_factory=list)
    contributors: list[Membership] = field(default_factory=list)


def objective_page(actor: Membership, objective: Objective) -> ObjectivePage:
    """Key results with their check-in history and initiatives, alignment up (joined on the
    objective) and down (visible children), linked key results, the retrospective."""
    org = actor.organisation
    reach = Reach(actor)
    today = timezone.localdate()
    krs = list(
        _key_results(org)
        .filter(objective=objective)
        .prefetch_related(
            Prefetch(
                "check_ins",
                queryset=CheckIn.objects.for_org(org).select_related("author__user"),
            ),
            Prefetch(
                "initiatives",
                queryset=Initiative.objects.for_org(org).select_related("owner__user"),
            ),
        )
    )
    details = []
    for kr in krs:
        history = list(kr.check_ins.all())
        details.append(
            KRDetail(
                row=KRRow(kr, objective, reach.can_check_in(kr, objective), today),
                check_ins=history,
                initiatives=list(kr.initiatives.all()),
                chart=check_in_chart(kr, objective.cycle, list(reversed(history))),
            )
        )
    children = list(
        Objective.objects.for_org(org)
        .filter(visible_q(actor), parent=objective)
        .select_related("owner__user", "team")
    )
    links = list(
        ContributionLink.objects.for_org(org)
        .filter(objective=objective)
        .select_related("key_result__objective", "key_result__owner__user")
    )
    can_edit = reach.can_edit(objective)
    later = (
        list(
            Cycle.objects.for_org(org).filter(
                starts_on__gt=objective.cycle.starts_on,
                state__in=[Cycle.State.PLANNING, Cycle.State.ACTIVE],
            )
        )
        if can_edit and objective.progress < 1
        else []
    )
    return ObjectivePage(
        objective=objective,
        key_results=details,
        children=children,
        links=links,
        retrospective=Retrospective.objects.for_org(org).filter(objective=objective).first(),
        can_edit=can_edit,
        band=progress.score_band(objective.progress),
        later_cycles=later,
        contributors=list(objective.contributors.select_related("user").order_by("pk")),
    )


# --- company tree ----------------------------------------------------------------------------


def _tree_nodes(actor: Membership) -> QuerySet[Objective]:
    org = actor.organisation
    # Counted in correlated subqueries that use the parent and objective indexes: a join with
    # GROUP BY over every selected column grew with the number of children (perf/README.md).
    visible_children = (
        Objective.objects.for_org(org)
        .filter(visible_q(actor), parent=OuterRef("pk"))
        .exclude(status=Objective.Status.ABANDONED)
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    confidence = (
        KeyResult.objects.for_org(org)
        .filter(objective=OuterRef("pk"))
        .order_by()
        .values("objective")
        .annotate(avg=Avg("confidence"))
        .values("avg")
    )
    return (
        Objective.objects.for_org(org)
        .filter(visible_q(actor))
        .exclude(status=Objective.Status.ABANDONED)
        .select_related("owner__user", "team")
        .annotate(
            child_count=Coalesce(Subquery(visible_children), 0),
            avg_confidence=Subquery(confidence),
        )
        .order_by("level", "team__name", "position", "pk")
    )


@dataclass(frozen=True)
class Coverage:
    teams_total: int
    teams_with_objectives: int
    aligned: int
    alignable: int

    @property
    def team_share(self) -> int:
        return round(100 * self.teams_with_objectives / self.teams_total) if self.teams_total else 0

    @property
    def aligned_share(self) -> int:
        return round(100 * self.aligned / self.alignable) if self.alignable else 0

    @property
    def unaligned(self) -> int:
        return self.alignable - self.aligned


@dataclass(frozen=True)
class CompanyPage:
    cycle: Cycle | None
    cycles: list[Cycle]
    roots: list[Objective]  # company-level objectives
    orphans: list[Objective]  # team and personal objectives aligned to nothing
    coverage: Coverage | None


def company_page(actor: Membership, cycle_id: str | None = None) -> CompanyPage:
    """The tree's top level. Coverage is a separate fragment (`company_coverage`): it counts every
    objective of the cycle, so it would make the tree page grow with the organisation."""
    org = actor.organisation
    cycle, all_cycles = pick_cycle(org, cycle_id)
    if cycle is None:
        return CompanyPage(None, all_cycles, [], [], None)
    top = list(_tree_nodes(actor).filter(cycle=cycle, parent__isnull=True))
    return CompanyPage(
        cycle=cycle,
        cycles=all_cycles,
        roots=[o for o in top if o.level == Objective.Level.COMPANY],
        orphans=[o for o in top if o.level != Objective.Level.COMPANY],
        coverage=None,
    )


def company_coverage(actor: Membership, cycle_id: str | None = None) -> Coverage | None:
    """Share of teams with objectives and of team/personal objectives aligned: two queries."""
    org = actor.organisation
    cycle, _all = pick_cycle(org, cycle_id)
    if cycle is None:
        return None
    in_cycle = (
        Objective.objects.for_org(org)
        .filter(cycle=cycle)
        .exclude(status=Objective.Status.ABANDONED)
    )
    counts = in_cycle.aggregate(
        teams=Count("team", distinct=True, filter=~Q(level=Objective.Level.COMPANY)),
        alignable=Count("pk", filter=~Q(level=Objective.Level.COMPANY)),
        aligned=Count("pk", filter=~Q(level=Objective.Level.COMPANY) & Q(parent__isnull=False)),
    )
    return Coverage(
        teams_total=Team.objects.for_org(org).exclude(kind=Team.Kind.COMPANY).count(),
        teams_with_objectives=counts["teams"],
        aligned=counts["aligned"],
        alignable=counts["alignable"],
    )


def tree_children(actor: Membership, objective: Objective) -> list[Objective]:
    """The visible children of one node, each with its own child count: one query."""
    return list(_tree_nodes(actor).filter(parent=objective))


# --- teams, what is owed, late check-ins -----------------------------------------------------


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
    # Ids first from two indexed lookups (see my_okrs_page): an OR across the owner join scanned
    # every objective of the cycle.
    in_cycle = Objective.objects.for_org(org).filter(cycle=cycle).order_by()
    team_members = Membership.objects.for_org(org).filter(team=team).order_by().values("pk")
    ids = [
        pk
        for (pk,) in in_cycle.filter(team=team)
        .values_list("pk")
        .union(
            in_cycle.filter(level=Objective.Level.PERSONAL, owner__in=team_members).values_list(
                "pk"
            )
        )
    ]
    objectives = list(
        objectives_with_krs(org)
        .filter(visible_q(actor), pk__in=ids)
        .exclude(status=Objective.Status.ABANDONED)
        .order_by("level", "position", "pk")
    )
    cards = _cards(objectives, Reach(actor), timezone.localdate())
    return TeamOkrsPage(
        team=team,
        cycle=cycle,
        cycles=all_cycles,
        team_cards=[c for c in cards if c.objective.level != Objective.Level.PERSONAL],
        personal_cards=[c for c in cards if c.objective.level == Objective.Level.PERSONAL],
    )


@dataclass(frozen=True)
class Owed:
    """What the member owes this week: check-ins due or late, grades and retrospectives."""

    check_ins: list[KeyResult]
    today: date
    grades_pending: int
    retros_pending: int
    grading_cycle: Cycle | None

    @property
    def late_count(self) -> int:
        return sum(1 for kr in self.check_ins if kr.is_late(self.today))

    @property
    def is_empty(self) -> bool:
        return not (self.check_ins or self.grades_pending or self.retros_pending)


def _count(qs: QuerySet[Any]) -> Subquery:
    return Subquery(
        qs.order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n"),
        output_field=IntegerField(),
    )


def owed_this_week(actor: Membership) -> Owed:
    """Two queries whatever the number of key results."""
    org = actor.organisation
    today = timezone.localdate()
    horizon = today + timedelta(days=6)
    check_ins = list(
        KeyResult.objects.for_org(org)
        .filter(
            owner=actor,
            objective__cycle__state=Cycle.State.ACTIVE,
            objective__status=Objective.Status.PUBLISHED,
        )
        .filter(Q(next_check_in_due__isnull=True) | Q(next_check_in_due__lte=horizon))
        .select_related("objective")
        .order_by("next_check_in_due", "pk")
    )
    mine = Objective.objects.for_org(org).filter(
        cycle=OuterRef("pk"), owner=actor, status=Objective.Status.PUBLISHED
    )
    grading_cycle = (
        Cycle.objects.for_org(org)
        .filter(state=Cycle.State.GRADING)
        .annotate(
            grades_pending=_count(
                KeyResult.objects.for_org(org).filter(
                    objective__in=mine.values("pk"), score__isnull=True
                )
            ),
            retros_pending=_count(
                mine.exclude(
                    Exists(Retrospective.objects.for_org(org).filter(objective=OuterRef("pk")))
                )
            ),
        )
        .order_by("-starts_on")
        .first()
    )
    grades = getattr(grading_cycle, "grades_pending", 0) or 0
    retros = getattr(grading_cycle, "retros_pending", 0) or 0
    return Owed(check_ins, today, grades, retros, grading_cycle)


def late_check_ins(actor: Membership) -> list[KeyResult]:
    """Key results of people below the actor whose check-in is overdue: one query."""
    today = timezone.localdate()
    return list(
        KeyResult.objects.for_org(actor.organisation)
        .filter(
            owner__in=subtree_ids(actor),
            objective__cycle__state=Cycle.State.ACTIVE,
            objective__status=Objective.Status.PUBLISHED,
        )
        .filter(Q(next_check_in_due__lt=today) | Q(next_check_in_due__isnull=True))
        .select_related("owner__user", "owner__team", "objective")
        .order_by("next_check_in_due", "owner__user__full_name", "pk")
    )


@dataclass(frozen=True)
class GradingPage:
    cycle: Cycle
    cards: list[ObjectiveCard]

    @property
    def is_open(self) -> bool:
        return self.cycle.state == Cycle.State.GRADING


def grading_page(actor: Membership, cycle: Cycle) -> GradingPage:
    """Objectives of the cycle the actor may grade: their own, their reports', their team's,
    or all for an admin."""
    org = actor.organisation
    qs = objectives_with_krs(org).filter(cycle=cycle).exclude(status=Objective.Status.ABANDONED)
    if not actor.is_admin:
        qs = qs.filter(Q(owner=actor) | Q(owner__in=subtree_ids(actor)) | Q(team__lead=actor))
    objectives = list(qs.order_by("level", "position", "pk"))
    return GradingPage(cycle, _cards(objectives, Reach(actor), timezone.localdate()))


def objective_choices(
    actor: Membership, cycle: Cycle, exclude: Objective | None = None
) -> QuerySet[Objective]:
    """Objectives an objective of this cycle may align to."""
    qs = (
        Objective.objects.for_org(actor.organisation)
        .filter(visible_q(actor), cycle=cycle)
        .exclude(status=Objective.Status.ABANDONED)
        .order_by("level", "title")
    )
    return qs.exclude(pk=exclude.pk) if exclude is not None else qs


def progress_percent(value: Decimal) -> int:
    return int((value * 100).to_integral_value())
