"""The only place that turns OKR rows and editor input into coach drafts, and coach reviews back
into what okrs stores (`coach_verdict`, `coach_rules`). What the editors' coach panel shows is
built in coach_panel.py.

It uses only the public API of the `coach` package. A blank structured field is passed as ""
(the field exists and was left empty: the coach may say so); a field the product does not have
is passed as None (unknown: the coach stays silent about it)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.db import models

import coach
from coach import KeyResultDraft, ObjectiveDraft, Review
from coach.review import score_of, verdict_of
from okrcoach.orgs.models import Membership

from .models import COACH_REVIEW_PENDING, CoachDismissal, Cycle, KeyResult, Objective

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


def store_review(row: Objective | KeyResult, dismissed: frozenset[str] = frozenset()) -> None:
    """Set the row's latest verdict and rule ids from its current fields (no query, no save),
    leaving out the findings dismissed for it (their rule ids) so that every place showing the
    stored verdict agrees with the coach panel."""
    review = review_row(row)
    if dismissed and review.reviewed:
        kept = tuple(f for f in review.findings if f.rule not in dismissed)
        review = replace(review, findings=kept, verdict=verdict_of(kept), score=score_of(kept))
    row.coach_verdict, row.coach_rules = stored_form(review)


def mark_review_pending(row: Objective | KeyResult) -> None:
    """Leave the row's review to the task worker (an import's rows: the review was more than
    half of an import's time): no verdict and no rules until it runs."""
    row.coach_verdict, row.coach_rules = dict(COACH_REVIEW_PENDING), []


def dismissed_for(row: Objective | KeyResult) -> frozenset[str]:
    """The rule ids dismissed for a saved row (one query; none for an unsaved row): every save
    passes them to store_review, so the stored verdict never forgets a dismissal."""
    if row.pk is None:
        return frozenset()
    target = {"key_result": row} if isinstance(row, KeyResult) else {"objective": row}
    rows = CoachDismissal.objects.for_org(row.organisation_id).filter(**target)
    return frozenset(rows.values_list("rule", flat=True))
