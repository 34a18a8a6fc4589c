"""Cycles: the list, the current one, the one a page shows (?cycle=); and the reads that look
back over cycles: a team's last cycles side by side, and one cycle's evaluation per team.

Counts and averages come from grouped aggregates, so each page costs the same number of queries
whatever the number of cycles, teams, objectives or check-ins. Only objectives the reader may
see are counted. Until a cycle is graded an objective's score is missing; "met" and the score
bands then use its progress, which is what the grade defaults to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connections, router
from django.db.models import Avg, Count, DecimalField, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from okrcoach.core.prepared import Prepared, never_prepared
from okrcoach.orgs.models import Membership, Organisation, Team

from .. import pace, progress
from ..cadence import team_cadence_days
from ..models import Cycle, KeyResult, Objective, Retrospective
from ..permissions import can_write_team_retrospective
from .pace import pace_status_expression


def _cycles_query(_shape: object, *, org_id: int) -> QuerySet[Cycle]:
    return Cycle.objects.for_org(org_id).order_by("-starts_on", "-pk")


# Compiled once per process (core/prepared.py): every list page reads the cycles for its
# switcher, and building and compiling the query cost several times running it.
CYCLES = Prepared(Cycle, _cycles_query)


def cycles(organisation: Organisation) -> list[Cycle]:
    """Every cycle of the organisation, latest first."""
    found: list[Cycle] = CYCLES(org_id=organisation.pk)
    return found


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


COMPARED_CYCLES = 6


def _score() -> Coalesce:
    """The grade, else the progress it defaults to."""
    return Coalesce(
        F("score"), F("progress"), output_field=DecimalField(max_digits=6, decimal_places=4)
    )


# score_band rounds to one decimal half-up: below 0.35 is red, below 0.65 yellow, else green.
_RED, _YELLOW = Decimal("0.35"), Decimal("0.65")
_COMMITTED_MET = progress.MET_THRESHOLD[Objective.Type.COMMITTED]
_ASPIRATIONAL_MET = progress.MET_THRESHOLD[Objective.Type.ASPIRATIONAL]


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _visible_objectives(actor: Membership) -> QuerySet[Objective]:
    return (
        Objective.objects.for_org(actor.organisation)
        .visible_to(actor)
        .exclude(status=Objective.Status.ABANDONED)
    )


def _visible_key_results(actor: Membership) -> QuerySet[KeyResult]:
    return (
        KeyResult.objects.for_org(actor.organisation)
        .visible_to(actor)
        .exclude(objective__status=Objective.Status.ABANDONED)
    )


# --- a team across its last cycles ---------------------------------------------------------


@dataclass(frozen=True)
class TeamCycle:
    cycle: Cycle
    objectives: int
    average_score: Decimal | None
    committed: int
    committed_met: int
    key_results: int
    check_ins: int
    expected_check_ins: int
    retrospective: Retrospective | None

    @property
    def committed_met_share(self) -> int | None:
        return _percent(self.committed_met, self.committed)

    @property
    def regularity(self) -> int | None:
        """Check-ins made as a share of those the cadence asked for, capped at 100%."""
        share = _percent(self.check_ins, self.expected_check_ins)
        return min(100, share) if share is not None else None

    @property
    def band(self) -> str | None:
        return progress.score_band(self.average_score)


@dataclass(frozen=True)
class TeamCyclesPage:
    team: Team
    cadence_days: int
    rows: list[TeamCycle]
    can_write_retrospective: bool


def _expected_periods(cycle: Cycle, cadence: int, today: date) -> int:
    end = min(today, cycle.ends_on)
    return max(0, (end - cycle.starts_on).days + 1) // cadence


def team_cycles_page(actor: Membership, team: Team) -> TeamCyclesPage:
    """The team's last cycles that have started, newest first: average score, share of
    committed objectives met, check-in regularity and the team's retrospective. Five queries."""
    org = actor.organisation
    today = timezone.localdate()
    cycles = list(
        Cycle.objects.for_org(org)
        .exclude(state=Cycle.State.PLANNING)
        .order_by("-starts_on", "-pk")[:COMPARED_CYCLES]
    )
    ids = [c.pk for c in cycles]
    objectives: dict[int, Any] = {
        row["cycle_id"]: row
        for row in _visible_objectives(actor)
        .filter(cycle_id__in=ids, team=team)
        .annotate(s=_score())
        .values("cycle_id")
        .annotate(
            n=Count("pk"),
            average=Avg("s"),
            committed=Count("pk", filter=Q(type=Objective.Type.COMMITTED)),
            committed_met=Count(
                "pk", filter=Q(type=Objective.Type.COMMITTED, s__gte=_COMMITTED_MET)
            ),
        )
    }
    key_results: dict[int, Any] = {
        row["objective__cycle_id"]: row
        for row in _visible_key_results(actor)
        .filter(objective__cycle_id__in=ids, objective__team=team)
        .values("objective__cycle_id")
        .annotate(n=Count("pk", distinct=True), made=Count("check_ins"))
    }
    cadence = team_cadence_days(org, team)
    retros = {
        r.cycle_id: r
        for r in Retrospective.objects.for_org(org)
        .filter(team=team, cycle_id__in=ids)
        .select_related("author__user")
    }
    rows = []
    for cycle in cycles:
        o = objectives.get(cycle.pk, {})
        k = key_results.get(cycle.pk, {})
        average = o.get("average")
        rows.append(
            TeamCycle(
                cycle=cycle,
                objectives=o.get("n", 0),
                average_score=(
                    Decimal(average).quantize(Decimal("0.01")) if average is not None else None
                ),
                committed=o.get("committed", 0),
                committed_met=o.get("committed_met", 0),
                key_results=k.get("n", 0),
                check_ins=k.get("made", 0),
                expected_check_ins=k.get("n", 0) * _expected_periods(cycle, cadence, today),
                retrospective=retros.get(cycle.pk),
            )
        )
    return TeamCyclesPage(team, cadence, rows, can_write_team_retrospective(actor, team))


# --- one cycle, team by team ---------------------------------------------------------------


@dataclass(frozen=True)
class TeamEvaluation:
    team_name: str
    team_id: object | None  # the team's public id, None for objectives without a team
    objectives: int
    met: int
    committed: int
    committed_met: int
    aspirational: int
    aspirational_met: int
    red: int
    yellow: int
    green: int
    # While the cycle runs: graded objectives, average progress and key results by pace.
    graded: int = 0
    average_progress: Decimal | None = None
    on_track: int = 0
    at_risk: int = 0
    off_track: int = 0

    @property
    def key_results(self) -> int:
        return self.red + self.yellow + self.green

    @property
    def average_percent(self) -> int | None:
        if self.average_progress is None:
            return None
        return int((self.average_progress * 100).quantize(Decimal(1)))

    @property
    def on_track_share(self) -> int:
        return self._share(self.on_track)

    @property
    def at_risk_share(self) -> int:
        return self._share(self.at_risk)

    @property
    def off_track_share(self) -> int:
        return self._share(self.off_track)

    @property
    def met_share(self) -> int | None:
        return _percent(self.met, self.objectives)

    def _share(self, n: int) -> int:
        return _percent(n, self.key_results) or 0

    @property
    def red_share(self) -> int:
        return self._share(self.red)

    @property
    def yellow_share(self) -> int:
        return self._share(self.yellow)

    @property
    def green_share(self) -> int:
        return self._share(self.green)


@dataclass(frozen=True)
class CycleEvaluationPage:
    cycle: Cycle
    teams: list[TeamEvaluation]
    today: date | None = None

    @property
    def is_final(self) -> bool:
        return self.cycle.state == Cycle.State.CLOSED

    @property
    def in_progress(self) -> bool:
        """An active cycle that has not ended: nothing is "met" yet unless graded, so the page
        shows progress against the expected pace instead."""
        today = self.today or timezone.localdate()
        return self.cycle.state == Cycle.State.ACTIVE and today <= self.cycle.ends_on

    @property
    def expected_percent(self) -> int:
        today = self.today or timezone.localdate()
        share = pace.expected_progress(
            starts_on=self.cycle.starts_on, ends_on=self.cycle.ends_on, today=today
        )
        return round(share * 100)


def cycle_evaluation_page(actor: Membership, cycle: Cycle) -> CycleEvaluationPage:
    """Per team: objectives met (committed at 1.0, aspirational at 0.7) and how its key results'
    scores fall in the red, yellow and green bands; while the cycle runs, also the average
    progress and the key results on track, at risk and off track (okrs/pace.py). While it runs,
    an objective counts as met only once graded. Two queries."""
    today = timezone.localdate()
    running = cycle.state == Cycle.State.ACTIVE and today <= cycle.ends_on
    graded = Q(score__isnull=False) if running else Q()
    met_committed = Q(type=Objective.Type.COMMITTED, s__gte=_COMMITTED_MET) & graded
    met_aspirational = Q(type=Objective.Type.ASPIRATIONAL, s__gte=_ASPIRATIONAL_MET) & graded
    objectives = (
        _visible_objectives(actor)
        .filter(cycle=cycle)
        .annotate(s=_score())
        .values("team__name", "team__public_id")
        .annotate(
            n=Count("pk"),
            met=Count("pk", filter=met_committed | met_aspirational),
            committed=Count("pk", filter=Q(type=Objective.Type.COMMITTED)),
            committed_met=Count("pk", filter=met_committed),
            aspirational=Count("pk", filter=Q(type=Objective.Type.ASPIRATIONAL)),
            aspirational_met=Count("pk", filter=met_aspirational),
            graded=Count("pk", filter=Q(score__isnull=False)),
            average=Avg("progress"),
        )
        .order_by("team__name")
    )
    pace_counts: dict[str, Any] = {}
    if running:
        status = pace_status_expression(cycle, today)
        pace_counts = {
            "on_track": Count("pk", filter=Q(pace="on_track")),
            "at_risk": Count("pk", filter=Q(pace="at_risk")),
            "off_track": Count("pk", filter=Q(pace="off_track")),
        }
    key_results = _visible_key_results(actor).filter(objective__cycle=cycle).annotate(s=_score())
    if running:
        key_results = key_results.annotate(pace=status)
    # Both planned with their parameters every time (core.prepared.never_prepared): grouped
    # counts over a cycle whose best plan depends on the reader's reach and the organisation's
    # size. After five runs on a connection PostgreSQL kept a generic plan for the objectives'
    # counts that took 21-26 ms instead of 7-12 at 10,000 people (perf/LOAD_RESULTS.md, 4 Dec
    # 2026).
    with never_prepared(connections[router.db_for_read(Objective)]):
        band_rows = list(
            key_results.values("objective__team__public_id").annotate(
                red=Count("pk", filter=Q(s__lt=_RED)),
                yellow=Count("pk", filter=Q(s__gte=_RED, s__lt=_YELLOW)),
                green=Count("pk", filter=Q(s__gte=_YELLOW)),
                **pace_counts,
            )
        )
        objective_rows = list(objectives)
    bands: dict[Any, Any] = {row["objective__team__public_id"]: row for row in band_rows}
    teams = []
    for row in objective_rows:
        team_id = row["team__public_id"]
        b = bands.get(team_id, {})
        teams.append(
            TeamEvaluation(
                team_name=row["team__name"] or "",
                team_id=team_id,
                objectives=row["n"],
                met=row["met"],
                committed=row["committed"],
                committed_met=row["committed_met"],
                aspirational=row["aspirational"],
                aspirational_met=row["aspirational_met"],
                red=b.get("red", 0),
                yellow=b.get("yellow", 0),
                green=b.get("green", 0),
                graded=row["graded"],
                average_progress=row["average"],
                on_track=b.get("on_track", 0),
                at_risk=b.get("at_risk", 0),
                off_track=b.get("off_track", 0),
            )
        )
    return CycleEvaluationPage(cycle, teams, today)
