"""Home as a dashboard, per role. Every section is a fixed number of grouped queries whatever the
size of the organisation, and every count passes through the visibility rule
(okrs.permissions.visible_q): nobody is shown a number that includes objectives they may not see.

- member: my key results by status, my academy assignments;
- manager (anyone with direct reports): a heat map of my reports × their key results by status,
  late check-ins below me, at-risk key results with their last notes, the team's OKR quality,
  my reports' academy progress, the team's calibration (for executives and admins, whose line
  can be the whole organisation, "below me" is their direct reports: bounded whatever its size);
- executive and admin: company objectives by status, at-risk by department, check-in regularity,
  OKR quality and alignment by department, the cycle's trend week by week, past cycles, training
  coverage."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import (
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from okrcoach.academy.models import AssignmentTarget, Certificate, Enrollment, ModuleCompletion
from okrcoach.okrs import pace as pace_rules
from okrcoach.okrs.models import CheckIn, Cycle, KeyResult, Objective
from okrcoach.okrs.permissions import visible_fast_q
from okrcoach.okrs.selectors.pace import pace_status_expression
from okrcoach.orgs.lines import in_line
from okrcoach.orgs.models import Membership, Organisation

from . import charts, snapshots
from .calibration import CalibrationView, calibration_view
from .models import CycleSnapshot, InsightsState

STATUSES = pace_rules.STATUSES
HEAT_PEOPLE = 12
HEAT_KRS = 8
AT_RISK_SHOWN = 6
PACE: str = (
    "pace"  # the annotation of okrs.selectors.pace (a plain str: mypy's plugin cannot see it)
)


def active_cycle(org: Organisation) -> Cycle | None:
    return (
        Cycle.objects.for_org(org).filter(state=Cycle.State.ACTIVE).order_by("-starts_on").first()
    )


def is_demo(org: Organisation) -> bool:
    return InsightsState.objects.for_org(org).filter(is_demo=True).exists()


def cycle_krs(actor: Membership, cycle: Cycle, today: date) -> QuerySet[KeyResult]:
    """Published key results of the cycle the actor may see, annotated with `pace`."""
    return (
        KeyResult.objects.for_org(actor.organisation)
        .filter(objective__cycle=cycle, objective__status=Objective.Status.PUBLISHED)
        .filter(visible_fast_q(actor, "objective__"))
        .annotate(pace=pace_status_expression(cycle, today))
    )


def _zero() -> dict[str, int]:
    return {s: 0 for s in STATUSES}


def _status_counts(qs: QuerySet[KeyResult]) -> dict[str, int]:
    counts = _zero()
    for r in qs.order_by().values(PACE).annotate(n=Count("pk")):
        counts[r[PACE]] = r["n"]
    return counts


@dataclass(frozen=True)
class StatusCounts:
    counts: dict[str, int]
    query: str  # the list behind the figures, without the status

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def items(self) -> list[tuple[str, str, int]]:
        labels = {"on_track": "On track", "at_risk": "At risk", "off_track": "Off track"}
        return [(s, labels[s], self.counts[s]) for s in STATUSES]


@dataclass(frozen=True)
class MemberDashboard:
    mine: StatusCounts
    assignments: Sequence[AssignmentTarget]
    calibration_nudge: str


@dataclass(frozen=True)
class HeatRow:
    person: Membership
    cells: list[KeyResult]
    more: int


@dataclass(frozen=True)
class ReportProgress:
    person: Membership
    modules_done: int
    certified: bool


@dataclass(frozen=True)
class ManagerDashboard:
    heat: list[HeatRow]
    heat_more: int
    late: int
    at_risk: Sequence[KeyResult]
    quality: dict[str, int]
    academy: list[ReportProgress]
    calibration: CalibrationView
    direct_only: bool = False  # the figures cover direct reports (executives and admins)


@dataclass(frozen=True)
class Ref:
    """A department or past cycle as the snapshot names it."""

    name: str
    public_id: str


@dataclass(frozen=True)
class DepartmentRow:
    team: Ref
    counts: dict[str, int]
    krs: int
    late: int
    rated: int
    good: int
    objectives: int
    aligned: int

    @property
    def regularity(self) -> int:
        return round(100 * (self.krs - self.late) / self.krs) if self.krs else 0

    @property
    def quality(self) -> int:
        return round(100 * self.good / self.rated) if self.rated else 0

    @property
    def alignment(self) -> int:
        return round(100 * self.aligned / self.objectives) if self.objectives else 0


@dataclass(frozen=True)
class PastCycle:
    cycle: Ref
    krs: int
    average: float
    met: int

    @property
    def met_share(self) -> int:
        return round(100 * self.met / self.krs) if self.krs else 0


@dataclass(frozen=True)
class ExecutiveDashboard:
    objectives: list[tuple[Objective, pace_rules.Pace | None]]
    objective_counts: dict[str, int]
    departments: list[DepartmentRow]
    company: StatusCounts
    alignment: tuple[int, int]
    trend: charts.LineChart | None
    past: list[PastCycle]
    managers: int
    certified: int
    status_chart: charts.BarChart
    computed_at: datetime | None = None  # the snapshot's last write
    full_at: datetime | None = None  # its last full computation
    calibration_rows: list[list[Any]] = field(default_factory=list)  # the organisation's


@dataclass(frozen=True)
class HomeDashboard:
    cycle: Cycle | None
    today: date
    is_demo: bool
    member: MemberDashboard | None
    manager: ManagerDashboard | None
    executive: ExecutiveDashboard | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def member_dashboard(actor: Membership, cycle: Cycle | None, today: date) -> MemberDashboard:
    """Three queries."""
    mine = _status_counts(cycle_krs(actor, cycle, today).filter(owner=actor)) if cycle else _zero()
    assignments = list(
        AssignmentTarget.objects.for_org(actor.organisation)
        .filter(membership=actor)
        .annotate(
            is_done=Exists(
                Enrollment.objects.for_org(actor.organisation).filter(
                    membership_id=OuterRef("membership_id"),
                    course_id=OuterRef("assignment__course_id"),
                    completed_at__isnull=False,
                )
            )
        )
        .select_related("assignment__course")
        .order_by("assignment__due_on", "pk")[:5]
    )
    return MemberDashboard(
        mine=StatusCounts(mine, "owner=me"),
        assignments=assignments,
        calibration_nudge=calibration_view(actor, "person").nudge,
    )


def _last_note(org: Organisation) -> Subquery:
    latest = (
        CheckIn.objects.for_org(org)
        .filter(key_result_id=OuterRef("pk"))
        .order_by("-created_at", "-pk")
    )
    return Subquery(latest.values("problems_note")[:1])


def manager_dashboard(actor: Membership, cycle: Cycle | None, today: date) -> ManagerDashboard:
    """Eight queries."""
    org = actor.organisation
    reports = list(
        Membership.objects.for_org(org)
        .filter(manager=actor, is_active=True)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    shown = reports[:HEAT_PEOPLE]
    heat: list[HeatRow] = []
    late = 0
    at_risk: Sequence[KeyResult] = []
    quality = {"good": 0, "weak": 0, "bad": 0, "unrated": 0}
    if cycle is not None:
        krs = cycle_krs(actor, cycle, today)
        by_owner: dict[int, list[KeyResult]] = defaultdict(list)
        for kr in krs.filter(owner__in=[p.pk for p in shown]).select_related("objective"):
            by_owner[kr.owner_id].append(kr)
        heat = [
            HeatRow(p, by_owner[p.pk][:HEAT_KRS], max(0, len(by_owner[p.pk]) - HEAT_KRS))
            for p in shown
        ]
        if actor.sees_everything:
            # Executives and admins: their direct reports (the company-wide figures are the
            # executive panel's, from the snapshot): the CEO's line is the whole organisation.
            below = krs.filter(owner__manager=actor)
        else:
            below = krs.filter(in_line("owner", actor, include_self=False))
        late = below.filter(
            Q(next_check_in_due__lt=today) | Q(next_check_in_due__isnull=True)
        ).count()
        at_risk = list(
            below.filter(Q(pace__in=["at_risk", "off_track"]))
            .annotate(last_note=_last_note(org))
            .select_related("owner__user", "objective")
            .order_by("progress", "pk")[:AT_RISK_SHOWN]
        )
        agg = below.order_by().aggregate(
            good=Count("pk", filter=Q(coach_verdict__verdict="good")),
            weak=Count("pk", filter=Q(coach_verdict__verdict="weak")),
            bad=Count("pk", filter=Q(coach_verdict__verdict="bad")),
            total=Count("pk"),
        )
        quality = {
            "good": agg["good"],
            "weak": agg["weak"],
            "bad": agg["bad"],
            "unrated": agg["total"] - agg["good"] - agg["weak"] - agg["bad"],
        }
    done = (
        ModuleCompletion.objects.for_org(org)
        .filter(enrollment__membership__in=[p.pk for p in shown])
        .order_by()
        .values("enrollment__membership_id")
        .annotate(n=Count("pk"))
    )
    modules = {r["enrollment__membership_id"]: r["n"] for r in done}
    now = timezone.now()
    certified = set(
        Certificate.objects.for_org(org)
        .filter(membership__in=[p.pk for p in shown], revoked_at__isnull=True, expires_at__gt=now)
        .values_list("membership_id", flat=True)
    )
    return ManagerDashboard(
        heat=heat,
        heat_more=max(0, len(reports) - HEAT_PEOPLE),
        late=late,
        at_risk=at_risk,
        quality=quality,
        academy=[ReportProgress(p, modules.get(p.pk, 0), p.pk in certified) for p in shown],
        calibration=calibration_view(actor, "team", direct_only=actor.sees_everything),
        direct_only=actor.sees_everything,
    )


def executive_dashboard(actor: Membership, cycle: Cycle | None, today: date) -> ExecutiveDashboard:
    """Two queries: the company objectives and the cycle's snapshot (computed on demand when
    missing). Only admins and executives see it, and they see every objective, so the
    organisation-wide snapshot is what they may see."""
    org = actor.organisation
    objectives: list[tuple[Objective, pace_rules.Pace | None]] = []
    obj_counts = _zero()
    snap = None
    if cycle is not None:
        company_objs = list(
            Objective.objects.for_org(org)
            .filter(visible_fast_q(actor), cycle=cycle, level=Objective.Level.COMPANY)
            .filter(status=Objective.Status.PUBLISHED)
            .annotate(
                low_confidence=Min("key_results__confidence"),
                latest=Max("key_results__last_check_in_at"),
            )
            .order_by("position", "pk")
        )
        for o in company_objs:
            p = pace_rules.pace_status(
                progress=o.progress,
                confidence=o.low_confidence,  # type: ignore[attr-defined]  # annotated above
                last_check_in=o.latest,  # type: ignore[attr-defined]
                starts_on=cycle.starts_on,
                ends_on=cycle.ends_on,
                today=today,
            )
            objectives.append((o, p))
            obj_counts[p.status] += 1
        snap = snapshots.get_or_compute(org, cycle)
    return executive_from_snapshot(snap, cycle, today, objectives, obj_counts)


def executive_from_snapshot(
    snap: CycleSnapshot | None,
    cycle: Cycle | None,
    today: date,
    objectives: list[tuple[Objective, pace_rules.Pace | None]],
    obj_counts: dict[str, int],
) -> ExecutiveDashboard:
    """The executive figures read from a snapshot: no query."""
    data: dict[str, Any] = snap.data if snap else {}
    dept_rows = [
        DepartmentRow(
            team=Ref(d["name"], d["public_id"]),
            counts={s: d[s] for s in STATUSES},
            krs=sum(d[s] for s in STATUSES),
            late=d["late"],
            rated=d["rated"],
            good=d["good"],
            objectives=d["objectives"],
            aligned=d["aligned"],
        )
        for d in data.get("departments", {}).values()
        if sum(d[s] for s in STATUSES) or d["objectives"]
    ]
    dept_rows.sort(key=lambda r: (-(r.counts["off_track"] + r.counts["at_risk"]), r.team.name))
    managers, certified = data.get("coverage", [0, 0])
    alignment = data.get("alignment", [0, 0])
    return ExecutiveDashboard(
        objectives=objectives,
        objective_counts=obj_counts,
        departments=dept_rows,
        company=StatusCounts(dict(data.get("company", _zero())), ""),
        alignment=(alignment[0], alignment[1]),
        trend=_trend(data.get("weeks", {}), cycle, today) if cycle else None,
        past=[
            PastCycle(Ref(p["name"], p["public_id"]), p["krs"], p["avg"], p["met"])
            for p in data.get("past", [])
        ],
        managers=managers,
        certified=certified,
        status_chart=charts.status_bars(
            [(d.team.name, d.counts, f"team={d.team.public_id}") for d in dept_rows[:8]]
        ),
        computed_at=snap.computed_at if snap else None,
        full_at=snap.full_at if snap else None,
        calibration_rows=data.get("calibration", []),
    )


def _trend(weeks: dict[str, list[Any]], cycle: Cycle, today: date) -> charts.LineChart | None:
    """Check-ins, their average confidence and progress week by week, from the snapshot."""
    if not weeks:
        return None
    by_week = {int(w): v for w, v in weeks.items()}
    last_week = max(0, min((today - cycle.starts_on).days // 7, max(by_week)))
    points = []
    for w in range(last_week + 1):
        n, conf, prog = by_week.get(w, [0, 0, 0.0])
        points.append((w + 1, n, conf / n / 10 if n else None, prog / n if n else None))
    return charts.trend_chart(points)


def home_dashboard(actor: Membership) -> HomeDashboard:
    org = actor.organisation
    today = timezone.localdate()
    cycle = active_cycle(org)
    has_reports = Membership.objects.for_org(org).filter(manager=actor, is_active=True).exists()
    return HomeDashboard(
        cycle=cycle,
        today=today,
        is_demo=is_demo(org),
        member=member_dashboard(actor, cycle, today),
        manager=manager_dashboard(actor, cycle, today) if has_reports else None,
        executive=executive_dashboard(actor, cycle, today) if actor.sees_everything else None,
    )
