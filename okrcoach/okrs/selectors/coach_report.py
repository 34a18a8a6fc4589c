"""The admin's coach report: the organisation's OKRs of one cycle by stored verdict and rule."""

from __future__ import annotations

import json
import operator
from dataclasses import dataclass
from functools import reduce
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
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
    def state(self) -> str:
        """What its badge shows: the verdict, or "pending" while an import's review is queued
        (counted and filtered with the rows not reviewed yet)."""
        return self.row.coach_state

    @property
    def rules(self) -> list[str]:
        return list(self.row.coach_rules or [])


@dataclass(frozen=True)
class CoachReport:
    cycle: Cycle | None
    cycles: list[Cycle]
    items: list[ReportItem]  # this page's, after the filters
    total: int  # before the filters
    shown: int  # after the filters, on every page
    verdict_counts: list[tuple[str, str, int]]  # (verdict, label, items)
    rule_counts: list[tuple[str, int]]  # most frequent first
    verdict: str
    rule: str
    kind: str
    pager: Page[Objective] | None = None  # the page of objectives whose items are listed

    @property
    def querystring(self) -> str:
        """The filters as the pager's links repeat them, ending in "&"."""
        cycle = str(self.cycle.public_id) if self.cycle else ""
        pairs = {"cycle": cycle, "verdict": self.verdict, "rule": self.rule, "kind": self.kind}
        return urlencode({k: v for k, v in pairs.items() if v}) + "&"


UNREVIEWED = "none"
OBJECTIVE = CoachDismissal.Kind.OBJECTIVE
KEY_RESULT = CoachDismissal.Kind.KEY_RESULT
# The list shows the items of this many objectives at a time (each followed by its key results):
# all of a 10,000-person organisation's (45,000 items) took 11-30 s to load and render
# (perf/LOAD_RESULTS.md, 4 Dec 2026).
REPORT_PAGE_SIZE = 50

# (kind, verdict or UNREVIEWED, rule ids, items): the stored verdicts grouped in SQL.
Group = tuple[str, str, tuple[str, ...], int]


def _groups(kind: str, qs: QuerySet[Objective] | QuerySet[KeyResult]) -> list[Group]:
    """Items by verdict and by their list of rules: a few dozen rows whatever the size. The
    rules are grouped as whole lists because SQLite cannot unnest a JSON list."""
    rows = (
        qs.order_by()
        .values("coach_rules", v=KT("coach_verdict__verdict"))
        .annotate(n=Count("pk"))
        .values_list("v", "coach_rules", "n")
    )
    return [(kind, v or UNREVIEWED, tuple(rules or ()), n) for v, rules, n in rows]


def _matches(group: Group, verdict: str, rule: str, kind: str) -> bool:
    k, v, rules, _n = group
    return (not verdict or v == verdict) and (not rule or rule in rules) and (not kind or k == kind)


def _match_q(verdict: str, rule: str) -> Q:
    """The verdict and rule filters on a query aliased by `_aliased` (JSON-aware lookups on
    the verdict: comparing its extracted text made SQLite parse the value as JSON)."""
    q = Q()
    if verdict == UNREVIEWED:
        q &= (
            Q(coach_verdict__isnull=True)
            | Q(coach_verdict__verdict__isnull=True)
            | Q(coach_verdict__verdict="")
        )
    elif verdict:
        q &= Q(coach_verdict__verdict=verdict)
    if rule:  # one of the stored rule ids (coach_report_page), quoted as JSON stores it
        q &= Q(report_rules__contains=json.dumps(rule))
    return q


_QS = TypeVar("_QS", bound=QuerySet[Any])


def _aliased(qs: _QS) -> _QS:
    return qs.alias(report_rules=Cast("coach_rules", models.TextField()))


def coach_report_page(
    actor: Membership,
    *,
    cycle_id: str | None,
    verdict: str = "",
    rule: str = "",
    kind: str = "",
    page_number: int | str = 1,
) -> CoachReport:
    """The organisation's OKRs of one cycle (the current one by default) by stored verdict and
    rule, counted in SQL, and one page of the items that pass the filters: seven queries
    whatever the size (cycles, the objectives' and key results' groups, the count and page of
    objectives listed, their key results)."""
    org = actor.organisation
    cycle, cycles = pick_cycle(org, cycle_id)
    labels = {**VERDICT_LABELS, UNREVIEWED: _("Not reviewed yet")}
    if cycle is None:
        return CoachReport(
            cycle=None,
            cycles=cycles,
            items=[],
            total=0,
            shown=0,
            verdict_counts=[(v, str(labels[v]), 0) for v in labels],
            rule_counts=[],
            verdict=verdict,
            rule=rule,
            kind=kind,
        )
    objectives = (
        Objective.objects.for_org(org)
        .filter(cycle=cycle)
        .exclude(status=Objective.Status.ABANDONED)
    )
    key_results = (
        KeyResult.objects.for_org(org)
        .filter(objective__cycle=cycle)
        .exclude(objective__status=Objective.Status.ABANDONED)
    )
    groups = _groups(OBJECTIVE, objectives) + _groups(KEY_RESULT, key_results)
    by_verdict: dict[str, int] = {}
    by_rule: dict[str, int] = {}
    for _k, v, rules, n in groups:
        by_verdict[v] = by_verdict.get(v, 0) + n
        for r in rules:
            by_rule[r] = by_rule.get(r, 0) + n
    shown = sum(g[3] for g in groups if _matches(g, verdict, rule, kind))

    # The objectives listed: those passing the filters, or holding a key result that does. A
    # kind that no stored item of the cycle passes adds no condition (nor a query if neither).
    match = _match_q(verdict, rule)
    listed: list[Q] = []
    if any(_matches(g, verdict, rule, kind) for g in groups if g[0] == OBJECTIVE):
        listed.append(match)
    if any(_matches(g, verdict, rule, kind) for g in groups if g[0] == KEY_RESULT):
        matching = _aliased(key_results).filter(match, objective=OuterRef("pk"))
        listed.append(Q(Exists(matching)))
    if Q() in listed:  # no filter on the objectives: every one is listed
        listed = [Q()]
    # Nothing passes: an empty list, which Django answers without a query.
    where = reduce(operator.or_, listed) if listed else Q(pk__in=[])
    pager = Paginator(
        _aliased(objectives)
        .filter(where)
        .select_related("owner__user", "team")
        .order_by("level", "position", "created_at", "pk"),
        REPORT_PAGE_SIZE,
    ).get_page(page_number)
    page_objectives = list(pager.object_list)
    pager.object_list = page_objectives
    krs: dict[int, list[KeyResult]] = {o.pk: [] for o in page_objectives}
    if krs:
        for kr in (
            KeyResult.objects.for_org(org)
            .filter(objective_id__in=list(krs))
            .select_related("owner__user")
        ):
            krs[kr.objective_id].append(kr)
    items: list[ReportItem] = []
    for o in page_objectives:
        items.append(ReportItem(OBJECTIVE, o, o))
        items += [ReportItem(KEY_RESULT, kr, o) for kr in krs[o.pk]]
    return CoachReport(
        cycle=cycle,
        cycles=cycles,
        items=[
            i
            for i in items
            if _matches((i.kind, i.verdict or UNREVIEWED, tuple(i.rules), 1), verdict, rule, kind)
        ],
        total=sum(g[3] for g in groups),
        shown=shown,
        verdict_counts=[(v, str(labels[v]), by_verdict.get(v, 0)) for v in labels],
        rule_counts=sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])),
        verdict=verdict,
        rule=rule,
        kind=kind,
        pager=pager,
    )
