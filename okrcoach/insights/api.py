"""/api/v1/insights: status by department (from the cycle snapshot) and by team, confidence
calibration for a person or a team the caller may see, and the stored training impact. Same
selectors and permission rules as the pages; a fixed number of queries per call."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from okrcoach.api.auth import actor
from okrcoach.core.api.schemas import ErrorOut
from okrcoach.orgs.access import get_for_member_or_404, require_role
from okrcoach.orgs.models import Membership, Role, Team
from okrcoach.orgs.selectors import subtree_ids

from . import dashboards, selectors, snapshots
from .calibration import CalibrationView, calibration_from_rows, calibration_view

router = Router(tags=["insights"])


# --- schemas ---------------------------------------------------------------------------------


class StatusCountsOut(Schema):
    on_track: int
    at_risk: int
    off_track: int


class DepartmentOut(Schema):
    id: UUID
    name: str
    status: StatusCountsOut
    key_results: int
    late_check_ins: int
    check_ins_on_time_percent: int
    coach_rates_good_percent: int
    objectives: int
    aligned_percent: int


class OrganisationStatusOut(Schema):
    cycle_id: UUID | None
    cycle_name: str | None
    computed_at: datetime | None = Field(
        None,
        description=(
            "When the cycle's snapshot was last written (the task worker updates it moments"
            " after each check-in)."
        ),
    )
    recounted_at: datetime | None = Field(
        None, description="The last full recount (nightly, or when the snapshot was missing)."
    )
    status: StatusCountsOut
    objectives_aligned: int
    objectives: int
    managers: int
    managers_certified: int
    departments: list[DepartmentOut]


class TeamStatusOut(Schema):
    team_id: UUID
    name: str
    cycle_id: UUID | None
    status: StatusCountsOut
    key_results: int
    late_check_ins: int


class CalibrationBinOut(Schema):
    confidence: int = Field(description="The confidence reported, 0–10.")
    check_ins: int
    finished_at_or_above_0_7: float = Field(
        description="Share of those check-ins whose key result finished at 0.7 or above."
    )
    mean_final_score: float


class CalibrationOut(Schema):
    scope: str
    person_id: UUID | None
    check_ins: int
    brier: float | None = Field(description="0 is perfect, 0.25 is a coin toss; null: no data.")
    nudge: str
    bins: list[CalibrationBinOut]


class ImpactOutcomeOut(Schema):
    key: str
    label: str
    better: str
    estimate: float | None
    low: float | None
    high: float | None
    treated: int
    comparison: int
    periods: int
    missing: list[str]


class ImpactOut(Schema):
    computed_at: datetime | None
    cycles: list[str]
    managers: int
    certified: int
    outcomes: list[ImpactOutcomeOut]
    method: str
    limits: list[str]


# --- helpers ---------------------------------------------------------------------------------


def _leadership(m: Membership) -> None:
    require_role(m, Role.ADMIN, Role.EXECUTIVE)


def _counts(c: dict[str, int]) -> StatusCountsOut:
    return StatusCountsOut(on_track=c["on_track"], at_risk=c["at_risk"], off_track=c["off_track"])


def _calibration_out(view: CalibrationView, person: Membership | None) -> CalibrationOut:
    return CalibrationOut(
        scope=view.scope,
        person_id=person.public_id if person else None,
        check_ins=view.result.n,
        brier=view.result.brier,
        nudge=view.nudge,
        bins=[
            CalibrationBinOut(
                confidence=b.confidence,
                check_ins=b.n,
                finished_at_or_above_0_7=round(b.observed, 4),
                mean_final_score=round(b.mean_score, 4),
            )
            for b in view.result.bins
        ],
    )


# --- endpoints -------------------------------------------------------------------------------


@router.get(
    "/insights/status",
    response={200: OrganisationStatusOut, 403: ErrorOut},
    summary="Key results by status for the company and each department (admins, executives)",
)
def organisation_status(request: HttpRequest) -> OrganisationStatusOut:
    """The active cycle's figures from its snapshot (the same as the executive Home): five
    queries whatever the organisation's size, three after authentication. 403 for members and
    managers."""
    m = actor(request)
    _leadership(m)
    cycle = dashboards.active_cycle(m.organisation)
    snap = snapshots.get_or_compute(m.organisation, cycle) if cycle else None
    ex = dashboards.executive_from_snapshot(snap, cycle, timezone.localdate(), [], {})
    return OrganisationStatusOut(
        cycle_id=cycle.public_id if cycle else None,
        cycle_name=cycle.name if cycle else None,
        computed_at=ex.computed_at,
        recounted_at=ex.full_at,
        status=_counts(ex.company.counts),
        objectives_aligned=ex.alignment[0],
        objectives=ex.alignment[1],
        managers=ex.managers,
        managers_certified=ex.certified,
        departments=[
            DepartmentOut(
                id=UUID(d.team.public_id),
                name=d.team.name,
                status=_counts(d.counts),
                key_results=d.krs,
                late_check_ins=d.late,
                check_ins_on_time_percent=d.regularity,
                coach_rates_good_percent=d.quality,
                objectives=d.objectives,
                aligned_percent=d.alignment,
            )
            for d in ex.departments
        ],
    )


@router.get(
    "/insights/teams/{team_id}/status",
    response={200: TeamStatusOut, 403: ErrorOut, 404: ErrorOut},
    summary="Key results by status in a team and the teams below it",
)
def team_status(request: HttpRequest, team_id: UUID) -> TeamStatusOut:
    """Counted live over the team's subtree, through the caller's visibility rule. Admins and
    executives may ask for any team, a team lead for the team they lead; 403 for anyone else,
    404 for another organisation's team. Four queries after authentication."""
    m = actor(request)
    team = get_for_member_or_404(Team.objects.for_org(m.organisation), m, public_id=team_id)
    if not m.sees_everything and team.lead_id != m.pk:
        raise PermissionDenied("Only the team's lead, admins and executives see its status.")
    cycle = dashboards.active_cycle(m.organisation)
    counts = {"on_track": 0, "at_risk": 0, "off_track": 0}
    late = 0
    if cycle is not None:
        today = timezone.localdate()
        below = (
            Team.objects.for_org(m.organisation)
            .descendants(team, include_self=True)
            .values_list("pk", flat=True)
        )
        agg = (
            dashboards.cycle_krs(m, cycle, today)
            .filter(owner__team__in=list(below))
            .order_by()
            .aggregate(
                on_track=Count("pk", filter=Q(pace="on_track")),
                at_risk=Count("pk", filter=Q(pace="at_risk")),
                off_track=Count("pk", filter=Q(pace="off_track")),
                late=Count(
                    "pk", filter=Q(next_check_in_due__lt=today) | Q(next_check_in_due__isnull=True)
                ),
            )
        )
        counts = {k: agg[k] for k in counts}
        late = agg["late"]
    return TeamStatusOut(
        team_id=team.public_id,
        name=team.name,
        cycle_id=cycle.public_id if cycle else None,
        status=_counts(counts),
        key_results=sum(counts.values()),
        late_check_ins=late,
    )


class CalibrationQuery(Schema):
    scope: Literal["person", "team", "organisation"] = "person"
    person_id: UUID | None = Field(
        None,
        description="Whose calibration (person or team scope): yourself when omitted; someone "
        "below you in the reporting line, or anyone for admins and executives.",
    )


@router.get(
    "/insights/calibration",
    response={200: CalibrationOut, 403: ErrorOut, 404: ErrorOut},
    summary="How well reported confidence predicted final grades (Brier score and bins)",
)
def calibration(request: HttpRequest, filters: Query[CalibrationQuery]) -> CalibrationOut:
    """person: one person's key results; team: a person and everyone below them; organisation:
    everything (admins and executives, from the cycle's snapshot when a cycle is active). 404
    for a person of another organisation, 403 for someone you may not see. At most three
    queries after authentication."""
    m = actor(request)
    if filters.scope == "organisation":
        _leadership(m)
        cycle = dashboards.active_cycle(m.organisation)
        if cycle is not None:
            rows = snapshots.get_or_compute(m.organisation, cycle).data.get("calibration", [])
            return _calibration_out(calibration_from_rows("organisation", rows), None)
        return _calibration_out(calibration_view(m, "organisation"), None)
    subject = m
    if filters.person_id is not None and filters.person_id != m.public_id:
        subject = get_for_member_or_404(
            Membership.objects.for_org(m.organisation), m, public_id=filters.person_id
        )
        below = (
            Membership.objects.for_org(m.organisation)
            .filter(pk=subject.pk, pk__in=subtree_ids(m))
            .exists()
        )
        if not m.sees_everything and not below:
            raise PermissionDenied("Only their managers, admins and executives see it.")
    return _calibration_out(calibration_view(m, filters.scope, subject), subject)


@router.get(
    "/insights/training-impact",
    response={200: ImpactOut, 403: ErrorOut},
    summary="Do teams change after their manager is certified? (admins, executives)",
)
def training_impact(request: HttpRequest) -> ImpactOut:
    """The stored estimates (recomputed nightly) with their 95% intervals, the method and its
    limits. One query after authentication."""
    m = actor(request)
    _leadership(m)
    page = selectors.impact_page(m)
    result = page.result
    return ImpactOut(
        computed_at=page.computed_at,
        cycles=result.get("cycles", []),
        managers=result.get("managers", 0),
        certified=result.get("certified", 0),
        outcomes=[
            ImpactOutcomeOut(
                key=o["key"],
                label=o["label"],
                better=o["better"],
                estimate=o["estimate"],
                low=o["low"],
                high=o["high"],
                treated=o["treated"],
                comparison=o["comparison"],
                periods=o["periods"],
                missing=o["missing"],
            )
            for o in result.get("outcomes", [])
        ],
        method=page.method,
        limits=page.limits,
    )
