"""Insights pages: the list of key results behind every dashboard figure, the executive summary
and the stored training impact. Fixed query counts; every row through the visibility rule."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone

from okrcoach.okrs.models import CheckIn, Cycle, KeyResult
from okrcoach.okrs.pace import STATUSES
from okrcoach.okrs.selectors.pace import behind_q
from okrcoach.orgs.access import get_for_member_or_404
from okrcoach.orgs.models import Membership, Organisation, Team
from okrcoach.orgs.selectors import subtree_ids

from . import dashboards
from .impact import LIMITS, METHOD_CERTIFICATION
from .models import InsightsState

LIST_LIMIT = 200


@dataclass(frozen=True)
class KeyResultList:
    cycle: Cycle | None
    status: str
    team: Team | None
    owner_me: bool
    below: bool
    key_results: Sequence[KeyResult]
    total: int  # at most LIST_LIMIT + 1: more than the list shows when truncated
    is_demo: bool

    @property
    def truncated(self) -> bool:
        return self.total > len(self.key_results)


def _latest(org: Organisation, field: str) -> Subquery:
    latest = (
        CheckIn.objects.for_org(org)
        .filter(key_result_id=OuterRef("pk"))
        .order_by("-created_at", "-pk")
    )
    return Subquery(latest.values(field)[:1])


def key_result_list(actor: Membership, params: dict[str, str]) -> KeyResultList:
    """Filters: status (on_track, at_risk, at_risk_or_worse, off_track), team (a department or
    team id: it and the teams below), owner=me, scope=below (the actor's reporting line), late=1.
    Five queries at most."""
    org = actor.organisation
    cycle = dashboards.active_cycle(org)
    status = params.get("status", "")
    if status and status not in (*STATUSES, "at_risk_or_worse"):
        raise Http404("No such status.")
    team = None
    if params.get("team"):
        team = get_for_member_or_404(Team.objects.for_org(org), actor, public_id=params["team"])
    demo = dashboards.is_demo(org)
    if cycle is None:
        return KeyResultList(None, status, team, False, False, [], 0, demo)
    today = timezone.localdate()
    qs = dashboards.cycle_krs(actor, cycle, today)
    if status in ("at_risk_or_worse", "off_track"):
        qs = qs.filter(behind_q(cycle, today, off_track_only=status == "off_track"))
    elif status:
        qs = qs.filter(Q(pace=status))
    if team is not None:
        ids = list(
            Team.objects.for_org(org)
            .descendants(team, include_self=True)
            .values_list("pk", flat=True)
        )
        qs = qs.filter(owner__team__in=ids)
    owner_me = params.get("owner") == "me"
    if owner_me:
        qs = qs.filter(owner=actor)
    below = params.get("scope") == "below"
    if below:
        qs = qs.filter(owner__in=subtree_ids(actor))
    if params.get("late") == "1":
        qs = qs.filter(Q(next_check_in_due__lt=today) | Q(next_check_in_due__isnull=True))
    # Counting stops after LIST_LIMIT + 1 rows: the page says "more than 200" rather than count
    # the whole organisation's key results on every view.
    total = qs.order_by().values("pk")[: LIST_LIMIT + 1].count()
    # The furthest behind are picked on narrow rows (id, progress), then read in full.
    first = qs.order_by("progress", "pk").values("pk")[:LIST_LIMIT]
    rows = list(
        qs.filter(pk__in=Subquery(first))
        .annotate(
            last_at=_latest(org, "created_at"),
            last_progress_note=_latest(org, "progress_note"),
            last_problems_note=_latest(org, "problems_note"),
        )
        .select_related("owner__user", "owner__team", "objective__cycle")
        .order_by("progress", "pk")[:LIST_LIMIT]
    )
    return KeyResultList(cycle, status, team, owner_me, below, rows, total, demo)


@dataclass(frozen=True)
class ImpactPage:
    state: InsightsState | None
    result: dict[str, Any]
    computed_at: datetime | None
    limits: list[str]
    is_demo: bool
    method: str = METHOD_CERTIFICATION


def impact_page(actor: Membership) -> ImpactPage:
    """The stored computation: one query."""
    state = InsightsState.objects.for_org(actor.organisation).first()
    return ImpactPage(
        state=state,
        result=state.impact if state else {},
        computed_at=state.impact_computed_at if state else None,
        limits=LIMITS,
        is_demo=bool(state and state.is_demo),
    )


def impact_rows(page: ImpactPage) -> list[list[str]]:
    """The estimates as table rows for CSV/XLSX."""
    header = [
        "outcome",
        "better when",
        "estimate",
        "95% interval low",
        "95% interval high",
        "treated managers",
        "comparison managers",
        "past cycles",
        "certified mean (last cycle)",
        "not certified mean (last cycle)",
        "missing",
    ]

    def fmt(v: float | None) -> str:
        return "" if v is None else f"{v:.4f}"

    rows = [header]
    for o in page.result.get("outcomes", []):
        rows.append(
            [
                o["label"],
                o["better"],
                fmt(o["estimate"]),
                fmt(o["low"]),
                fmt(o["high"]),
                str(o["treated"]),
                str(o["comparison"]),
                str(o["periods"]),
                fmt(o["certified_mean"]),
                fmt(o["uncertified_mean"]),
                "; ".join(o["missing"]),
            ]
        )
    return rows
