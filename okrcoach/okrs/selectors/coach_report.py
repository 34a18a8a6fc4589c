"""The admin's coach report: the organisation's OKRs of one cycle by stored verdict and rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from okrcoach.orgs.models import Membership

from ..coach_panel import VERDICT_LABELS
from ..models import CoachDismissal, Cycle, KeyResult, Objective
from .cycles import pick_cycle


@dataclass(frozen=True)
class ReportItem:
    kind: str
    row: Objective | KeyResult
    objective: Objective

    @property
    def verdict(self) -> str:
        return str(self.row.coach_verdict.get("verdict", "")) if self.row.coach_verdict else ""

    @property
    def rules(self) -> list[str]:
        return list(self.row.coach_rules or [])


def report_items(objectives: Iterable[Objective]) -> list[ReportItem]:
    """Each objective followed by its key results (prefetched by the selector)."""
    items: list[ReportItem] = []
    for o in objectives:
        items.append(ReportItem(CoachDismissal.Kind.OBJECTIVE, o, o))
        items += [ReportItem(CoachDismissal.Kind.KEY_RESULT, kr, o) for kr in o.key_results.all()]
    return items


@dataclass(frozen=True)
class CoachReport:
    cycle: Cycle | None
    cycles: list[Cycle]
    items: list[ReportItem]  # after the filters
    total: int  # before the filters
    verdict_counts: list[tuple[str, str, int]]  # (verdict, label, items)
    rule_counts: list[tuple[str, int]]  # most frequent first
    verdict: str
    rule: str
    kind: str


UNREVIEWED = "none"


def coach_report_page(
    actor: Membership, *, cycle_id: str | None, verdict: str = "", rule: str = "", kind: str = ""
) -> CoachReport:
    """The organisation's OKRs of one cycle (the current one by default) by stored verdict and
    rule: three queries whatever the size (cycles, objectives, key results). Counting happens
    here rather than in SQL because rule ids sit in a JSON list, which SQLite cannot unnest."""
    org = actor.organisation
    cycle, cycles = pick_cycle(org, cycle_id)
    objectives: list[Objective] = []
    if cycle is not None:
        objectives = list(
            Objective.objects.for_org(org)
            .filter(cycle=cycle)
            .exclude(status=Objective.Status.ABANDONED)
            .select_related("owner__user", "team")
            .prefetch_related(
                models.Prefetch(
                    "key_results",
                    queryset=KeyResult.objects.for_org(org).select_related("owner__user"),
                )
            )
            .order_by("level", "position", "created_at", "pk")
        )
    everything = report_items(objectives)
    by_verdict: dict[str, int] = {}
    by_rule: dict[str, int] = {}
    for item in everything:
        key = item.verdict or UNREVIEWED
        by_verdict[key] = by_verdict.get(key, 0) + 1
        for r in item.rules:
            by_rule[r] = by_rule.get(r, 0) + 1
    labels = {**VERDICT_LABELS, UNREVIEWED: _("Not reviewed yet")}
    verdict_counts = [(v, str(labels[v]), by_verdict.get(v, 0)) for v in labels]
    shown = [
        i
        for i in everything
        if (not verdict or (i.verdict or UNREVIEWED) == verdict)
        and (not rule or rule in i.rules)
        and (not kind or i.kind == kind)
    ]
    return CoachReport(
        cycle=cycle,
        cycles=cycles,
        items=shown,
        total=len(everything),
        verdict_counts=verdict_counts,
        rule_counts=sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])),
        verdict=verdict,
        rule=rule,
        kind=kind,
    )
