"""The coach panel in the editors: what it shows for a draft (findings without the dismissed
ones, each with the concrete rewrite it proposes, if any), built from the editor's input as the
user types."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

import coach
from coach import Finding, KeyResultDraft, ObjectiveDraft, Review, examples
from coach.accuracy import how_often_right
from coach.catalogue import CATALOGUE
from coach.examples import WorkedExample
from coach.language import NOT_ENGLISH
from coach.review import score_of, verdict_of
from okrcoach.orgs.models import Membership

from .coaching import key_result_draft, key_result_draft_of, objective_draft
from .models import CoachDismissal, Cycle, KeyResult, Objective

VERDICT_LABELS = {"good": _("Good"), "weak": _("Weak"), "bad": _("Needs work")}


SEVERITY_LABELS = {"blocking": _("Blocking"), "warning": _("Warning"), "info": _("Tip")}


TITLE_MAX = 200


# Rules whose suggestion is about another field (data source, owner, confidence, dates, the
# description) or about the whole set: their example must never replace the title.
_NOT_A_TITLE = frozenset(
    {"KR-10-DEFINED", "KR-13-AMBITION", "KR-14-TIMEBOX", "KR-15-OWNER", "OBJ-08-WHY"}
)


_NOT_A_TITLE_PREFIXES = ("SET-", "PROC-")


RULE_ID = re.compile(r"^[A-Z]{2,5}-\d{2}(-[A-Z0-9]+)*$")


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

    @property
    def summary(self) -> str:
        """What the rule checks, from the catalogue (coach.catalogue): one source for the CLI,
        the editor, the academy and the reports."""
        rule = CATALOGUE.get(self.rule)
        return rule.summary if rule is not None else ""

    @property
    def advice(self) -> str:
        """The suggestion without a closing template sentence that did not pass as a rewrite
        (the worked example stands in for it)."""
        return examples.advice(
            Finding(self.rule, coach.Severity(self.severity), "", "", self.suggestion, self.rewrite)
        )

    @property
    def how_often_right(self) -> str:
        """ "Right 86% of the time (28 findings on real OKRs)", from the shipped figures."""
        measured = how_often_right(self.rule)
        if measured is None:
            return ""
        precision, fired = measured
        return str(
            _("Right %(p)d%% of the time (%(n)d findings on real OKRs)")
            % {"p": round(precision * 100), "n": fired}
        )


@dataclass(frozen=True)
class Feedback:
    """What the coach panel shows for one draft."""

    kind: str  # CoachDismissal.Kind
    text: str
    review: Review | None  # None until there is text to review
    findings: list[FindingView]  # without the dismissed ones
    dismissed: int
    example: WorkedExample | None = None  # when a wording finding comes without a rewrite

    @property
    def reviewed(self) -> bool:
        """False when the text is not English: no verdict, no score, and the plain notice."""
        return self.review is not None and self.review.reviewed

    @property
    def not_english(self) -> str:
        return NOT_ENGLISH if self.review is not None and not self.review.reviewed else ""

    @property
    def verdict(self) -> str:
        return self.review.verdict.value if self.review is not None else ""

    @property
    def verdict_label(self) -> str:
        return str(VERDICT_LABELS.get(self.verdict, ""))

    @property
    def score(self) -> int | None:
        return self.review.score if self.reviewed and self.review is not None else None

    @property
    def rules(self) -> set[str]:
        return set(self.review.rules()) if self.review is not None else set()


def _title_rewrite(rule: str, rewrite: str | None) -> str | None:
    """The finding's structured rewrite (coach.rewrites: grammatical, faithful, never worse),
    when it is a new title rather than advice about another field."""
    if not rewrite or rule in _NOT_A_TITLE or rule.startswith(_NOT_A_TITLE_PREFIXES):
        return None
    return rewrite if len(rewrite) <= TITLE_MAX else None


def without_dismissed(review: Review, dismissed: set[str] | frozenset[str]) -> Review:
    """The review with the dismissed findings left out, its verdict and score recomputed from
    what remains: the panel, the stored verdict and the set review all use this."""
    if not dismissed or not review.reviewed:
        return review
    kept = tuple(f for f in review.findings if f.rule not in dismissed)
    return replace(review, findings=kept, verdict=verdict_of(kept), score=score_of(kept))


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
    before = len(review.findings)
    review = without_dismissed(review, hidden)
    shown = [finding_view(f, rewrite=_title_rewrite(f.rule, f.rewrite)) for f in review.findings]
    context = draft.parent_objective if isinstance(draft, KeyResultDraft) else ""
    example = examples.review_example(
        replace(
            review,
            findings=tuple(
                replace(f, rewrite=v.rewrite) for f, v in zip(review.findings, shown, strict=True)
            ),
        ),
        draft.text,
        context or "",
    )
    return Feedback(kind, draft.text, review, shown, before - len(shown), example)


def finding_view(f: Finding, *, rewrite: str | None) -> FindingView:
    return FindingView(
        rule=f.rule,
        severity=f.severity.value,
        message=f.message,
        question=f.question,
        suggestion=f.suggestion,
        rewrite=rewrite,
    )


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
