"""The only place that turns OKR rows and editor input into coach drafts, and coach reviews back
into what okrs stores (`coach_verdict`, `coach_rules`) and shows (the coach panel).

It uses only the public API of the `coach` package. A blank structured field is passed as ""
(the field exists and was left empty: the coach may say so); a field the product does not have
is passed as None (unknown: the coach stays silent about it)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

import coach
from coach import KeyResultDraft, ObjectiveDraft, Review
from okrcoach.core.audit import audit
from okrcoach.orgs.access import ensure_same_org
from okrcoach.orgs.models import Membership, Organisation

from .models import CoachDismissal, Cycle, KeyResult, Objective
from .selectors.cycles import pick_cycle

VERDICT_LABELS = {"good": _("Good"), "weak": _("Weak"), "bad": _("Needs work")}
SEVERITY_LABELS = {"blocking": _("Blocking"), "warning": _("Warning"), "info": _("Tip")}
TITLE_MAX = 200

# Rules whose suggestion is about another field (data source, owner, confidence, dates, the
# description) or about the whole set: their example must never replace the title.
_NOT_A_TITLE = frozenset(
    {"KR-10-DEFINED", "KR-13-AMBITION", "KR-14-TIMEBOX", "KR-15-OWNER", "OBJ-08-WHY"}
)
_NOT_A_TITLE_PREFIXES = ("SET-", "PROC-")
# The coach phrases a concrete rewrite as "…, e.g. '<the rewrite>'." at the end of a suggestion.
_REWRITE = re.compile(r"e\.g\.\s*'(?P<text>.+)'\s*\.?\s*$", re.DOTALL)
RULE_ID = re.compile(r"^[A-Z]{2,5}-\d{2}(-[A-Z0-9]+)*$")


# --- drafts ----------------------------------------------------------------------------------


def _cached(instance: models.Model, name: str) -> Any:
    """A related object only if it is already loaded: building a draft never runs a query."""
    field = instance._meta.get_field(name)
    if field.is_cached(instance):  # type: ignore[union-attr]
        return getattr(instance, name)
    return None


def _number(value: Decimal | None) -> float | str:
    return "" if value is None else float(value)


def _unit(unit_kind: str, unit_label: str) -> str:
    if unit_label.strip():
        return unit_label.strip()
    units: dict[str, str] = {
        KeyResult.UnitKind.PERCENT: "%",
        KeyResult.UnitKind.CURRENCY: "currency",
    }
    return units.get(unit_kind, "")


def key_result_draft(
    *,
    title: str,
    objective: Objective,
    kr_type: str = KeyResult.KRType.METRIC,
    baseline: Decimal | None = None,
    target: Decimal | None = None,
    unit_kind: str = KeyResult.UnitKind.NUMBER,
    unit_label: str = "",
    owner: Membership | None = None,
    data_source: str = "",
    confidence: int | None = None,
) -> KeyResultDraft:
    """A key result as its editor knows it, with its objective's text, type, team and cycle."""
    cycle: Cycle | None = _cached(objective, "cycle")
    team = _cached(objective, "team") if objective.team_id else None
    is_metric = kr_type == KeyResult.KRType.METRIC
    owner_id = owner.pk if owner is not None else objective.owner_id
    return KeyResultDraft(
        text=title.strip(),
        parent_objective=objective.title,
        baseline=_number(baseline) if is_metric else None,
        target=_number(target) if is_metric else None,
        unit=_unit(unit_kind, unit_label) if is_metric else None,
        kr_type=kr_type,
        # One owner by construction (a foreign key); its id stands for the person.
        owners=(str(owner_id),) if owner_id else (),
        okr_type=objective.type,
        data_source=data_source.strip(),
        confidence=float(confidence) if confidence is not None else None,
        cycle_start=cycle.starts_on if cycle is not None else None,
        cycle_end=cycle.ends_on if cycle is not None else None,
        team=team.name if team is not None else None,
    )


def key_result_draft_of(kr: KeyResult) -> KeyResultDraft:
    return key_result_draft(
        title=kr.title,
        objective=kr.objective,
        kr_type=kr.kr_type,
        baseline=kr.baseline,
        target=kr.target,
        unit_kind=kr.unit_kind,
        unit_label=kr.unit_label,
        owner=None,
        data_source=kr.data_source,
        confidence=kr.confidence,
    )


def objective_draft(
    *,
    title: str,
    description: str = "",
    level: str = Objective.Level.TEAM,
    type: str = Objective.Type.COMMITTED,
    parent: Objective | None = None,
    cycle: Cycle | None = None,
    team_name: str | None = None,
) -> ObjectiveDraft:
    # A company objective has nothing to align to: its parent is unknown, not missing.
    parent_text = None if level == Objective.Level.COMPANY else (parent.title if parent else "")
    return ObjectiveDraft(
        text=title.strip(),
        parent_objective=parent_text,
        okr_type=type,
        description=description.strip(),
        cycle_start=cycle.starts_on if cycle is not None else None,
        cycle_end=cycle.ends_on if cycle is not None else None,
        team=team_name,
    )


def objective_draft_of(objective: Objective) -> ObjectiveDraft:
    team = _cached(objective, "team") if objective.team_id else None
    return objective_draft(
        title=objective.title,
        description=objective.description,
        level=objective.level,
        type=objective.type,
        parent=_cached(objective, "parent") if objective.parent_id else None,
        cycle=_cached(objective, "cycle"),
        team_name=team.name if team is not None else None,
    )


# --- what a row stores -----------------------------------------------------------------------


def review_row(row: Objective | KeyResult) -> Review:
    if isinstance(row, KeyResult):
        return coach.review_key_result(key_result_draft_of(row))
    return coach.review_objective(objective_draft_of(row))


def stored_form(review: Review) -> tuple[dict[str, Any], list[str]]:
    """(coach_verdict, coach_rules) as the row keeps them, for analytics without the coach."""
    verdict = {
        "verdict": review.verdict.value,
        "score": review.score,
        "fields": review.fields.to_dict(),
    }
    return verdict, sorted(set(review.rules()))


def store_review(row: Objective | KeyResult) -> None:
    """Set the row's latest verdict and rule ids from its current fields (no query, no save)."""
    row.coach_verdict, row.coach_rules = stored_form(review_row(row))


def recoach_organisation(organisation: Organisation) -> tuple[int, int]:
    """Review every objective and key result again (after a coach upgrade); write only the rows
    whose verdict or rules changed. Returns (key results, objectives) updated."""
    objectives = list(
        Objective.objects.for_org(organisation).select_related("cycle", "team", "parent")
    )
    by_pk = {o.pk: o for o in objectives}
    changed_objectives = [o for o in objectives if _restore(o)]
    krs = list(KeyResult.objects.for_org(organisation).order_by("pk"))
    for kr in krs:
        kr.objective = by_pk[kr.objective_id]
    changed_krs = [kr for kr in krs if _restore(kr)]
    fields = ["coach_verdict", "coach_rules"]
    Objective.objects.for_org(organisation).bulk_update(changed_objectives, fields, batch_size=500)
    KeyResult.objects.for_org(organisation).bulk_update(changed_krs, fields, batch_size=500)
    return len(changed_krs), len(changed_objectives)


def _restore(row: Objective | KeyResult) -> bool:
    before = (row.coach_verdict, row.coach_rules)
    store_review(row)
    return before != (row.coach_verdict, row.coach_rules)


# --- the panel -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingView:
    rule: str
    severity: str
    message: str
    question: str
    suggestion: str
    rewrite: str | None  # a concrete new title, when the suggestion is one

    @property
    def severity_label(self) -> str:
        return str(SEVERITY_LABELS.get(self.severity, self.severity))


@dataclass(frozen=True)
class Feedback:
    """What the coach panel shows for one draft."""

    kind: str  # CoachDismissal.Kind
    text: str
    review: Review | None  # None until there is text to review
    findings: list[FindingView]  # without the dismissed ones
    dismissed: int

    @property
    def verdict(self) -> str:
        return self.review.verdict.value if self.review is not None else ""

    @property
    def verdict_label(self) -> str:
        return str(VERDICT_LABELS.get(self.verdict, ""))

    @property
    def score(self) -> int | None:
        return self.review.score if self.review is not None else None

    @property
    def rules(self) -> set[str]:
        return set(self.review.rules()) if self.review is not None else set()


def rewrite_of(rule: str, suggestion: str) -> str | None:
    """The concrete title a suggestion proposes, or None when it is advice, a template with
    <placeholders>, or about another field."""
    if rule in _NOT_A_TITLE or rule.startswith(_NOT_A_TITLE_PREFIXES):
        return None
    match = _REWRITE.search(suggestion)
    if match is None:
        return None
    text = match["text"].strip()
    if not text or "<" in text or ">" in text or len(text) > TITLE_MAX:
        return None
    return text


def draft_hash(kind: str, text: str) -> str:
    normalised = " ".join(text.lower().split())
    return hashlib.sha256(f"{kind}:{normalised}".encode()).hexdigest()


def _dismissed_rules(
    actor: Membership, kind: str, text: str, target: Objective | KeyResult | None
) -> set[str]:
    """Rules dismissed for this item, or for this very draft text by this person: one query."""
    drafts = Q(kind=kind, draft_hash=draft_hash(kind, text), member=actor)
    if isinstance(target, KeyResult):
        drafts |= Q(key_result=target)
    elif isinstance(target, Objective):
        drafts |= Q(objective=target)
    return set(
        CoachDismissal.objects.for_org(actor.organisation)
        .filter(drafts)
        .values_list("rule", flat=True)
    )


def feedback(
    *,
    actor: Membership,
    kind: str,
    draft: KeyResultDraft | ObjectiveDraft,
    target: Objective | KeyResult | None,
) -> Feedback:
    if not draft.text:
        return Feedback(kind, "", None, [], 0)
    if isinstance(draft, KeyResultDraft):
        review = coach.review_key_result(draft)
    else:
        review = coach.review_objective(draft)
    hidden = _dismissed_rules(actor, kind, draft.text, target)
    shown = [
        FindingView(
            rule=f.rule,
            severity=f.severity.value,
            message=f.message,
            question=f.question,
            suggestion=f.suggestion,
            rewrite=rewrite_of(f.rule, f.suggestion),
        )
        for f in review.findings
        if f.rule not in hidden
    ]
    return Feedback(kind, draft.text, review, shown, len(review.findings) - len(shown))


def key_result_feedback(
    *,
    actor: Membership,
    cleaned: Mapping[str, Any],
    objective: Objective,
    key_result: KeyResult | None,
) -> Feedback:
    """Feedback on the KR editor's input; `cleaned` holds the fields that validated so far (the
    user is mid-typing: an invalid number is simply not known yet)."""
    draft = key_result_draft(
        title=cleaned.get("title") or "",
        objective=objective,
        kr_type=cleaned.get("kr_type") or KeyResult.KRType.METRIC,
        baseline=cleaned.get("baseline"),
        target=cleaned.get("target"),
        unit_kind=cleaned.get("unit_kind") or KeyResult.UnitKind.NUMBER,
        unit_label=cleaned.get("unit_label") or "",
        owner=cleaned.get("owner"),
        data_source=cleaned.get("data_source") or "",
        confidence=key_result.confidence if key_result is not None else None,
    )
    return feedback(
        actor=actor, kind=CoachDismissal.Kind.KEY_RESULT, draft=draft, target=key_result
    )


def objective_feedback(
    *,
    actor: Membership,
    cleaned: Mapping[str, Any],
    cycle: Cycle,
    objective: Objective | None,
) -> Feedback:
    team = cleaned.get("team")
    draft = objective_draft(
        title=cleaned.get("title") or "",
        description=cleaned.get("description") or "",
        level=cleaned.get("level") or Objective.Level.TEAM,
        type=cleaned.get("type") or Objective.Type.COMMITTED,
        parent=cleaned.get("parent"),
        cycle=cycle,
        team_name=team.name if team is not None else None,
    )
    return feedback(actor=actor, kind=CoachDismissal.Kind.OBJECTIVE, draft=draft, target=objective)


def stored_feedback(*, actor: Membership, key_result: KeyResult) -> Feedback:
    """The panel for a saved key result, as it is stored now."""
    return feedback(
        actor=actor,
        kind=CoachDismissal.Kind.KEY_RESULT,
        draft=key_result_draft_of(key_result),
        target=key_result,
    )


# --- writes ----------------------------------------------------------------------------------


@transaction.atomic
def dismiss_finding(
    *,
    actor: Membership,
    kind: str,
    target: Objective | KeyResult | None,
    text: str,
    rule: str,
    reason: str,
) -> CoachDismissal:
    """Record that `actor` set a finding aside, and why; audited. The view has checked that the
    actor may edit the target (or is writing a new draft)."""
    ensure_same_org(actor, target)
    dismissal = CoachDismissal(
        organisation=actor.organisation,
        kind=kind,
        objective=target if isinstance(target, Objective) else None,
        key_result=target if isinstance(target, KeyResult) else None,
        draft_hash="" if target is not None else draft_hash(kind, text),
        rule=rule,
        reason=reason.strip(),
        text=text.strip()[:TITLE_MAX],
        member=actor,
    )
    # Lengths and choices only: the foreign keys were resolved through for_org a moment ago and
    # the one-target rule is a database constraint, so re-querying them would only cost time.
    dismissal.full_clean(
        exclude=["organisation", "objective", "key_result", "member"],
        validate_unique=False,
        validate_constraints=False,
    )
    dismissal.save()
    audit(
        actor,
        "okrs.coach.finding_dismissed",
        target or dismissal,
        data={"rule": rule, "reason": dismissal.reason, "text": dismissal.text},
    )
    return dismissal


# --- the admin report ------------------------------------------------------------------------


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


def coach_report(
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
