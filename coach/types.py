"""Frozen dataclasses: drafts go in, reviews and findings come out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    BLOCKING = "blocking"
    WARNING = "warning"
    INFO = "info"


class Verdict(StrEnum):
    GOOD = "good"
    WEAK = "weak"
    BAD = "bad"
    # not English: the coach says so and gives no verdict and no score (coach.language)
    NOT_REVIEWED = "not_reviewed"


class Kind(StrEnum):
    OBJECTIVE = "objective"
    KEY_RESULT = "key_result"


@dataclass(frozen=True)
class KeyResultDraft:
    """A key result as written, with whatever structured fields the product knows.

    None means "unknown" and never triggers a structured-field rule; an empty string or empty
    tuple means "the field exists and was left empty", which does.
    """

    text: str
    id: str | None = None
    parent_objective: str | None = None
    baseline: float | str | None = None
    target: float | str | None = None
    unit: str | None = None
    kr_type: str | None = None  # "metric" | "milestone" | "ordinal"
    owners: tuple[str, ...] | None = None
    okr_type: str | None = None  # "committed" | "aspirational"
    description: str | None = None
    data_source: str | None = None
    confidence: float | None = None  # 0..1 or 0..10
    cycle_start: date | None = None
    cycle_end: date | None = None
    team: str | None = None  # owning team, for the control check (KR-17)


@dataclass(frozen=True)
class ObjectiveDraft:
    text: str
    id: str | None = None
    parent_objective: str | None = None
    owners: tuple[str, ...] | None = None
    okr_type: str | None = None
    description: str | None = None
    cycle_start: date | None = None
    cycle_end: date | None = None
    team: str | None = None


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    question: str
    suggestion: str
    # the new title "Apply suggestion" puts in place: grammatical, faithful and never worse
    # (coach.rewrites); None when the coach offers only its question and a worked example
    rewrite: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "question": self.question,
            "suggestion": self.suggestion,
            "rewrite": self.rewrite,
        }


@dataclass(frozen=True)
class Fields:
    measurable: bool
    outcome: bool
    has_target: bool
    has_baseline: bool

    def to_dict(self) -> dict[str, bool]:
        return {
            "measurable": self.measurable,
            "outcome": self.outcome,
            "has_target": self.has_target,
            "has_baseline": self.has_baseline,
        }


@dataclass(frozen=True)
class Review:
    kind: Kind
    verdict: Verdict
    score: int
    fields: Fields
    findings: tuple[Finding, ...]
    id: str | None = None
    language: str = "en"

    @property
    def reviewed(self) -> bool:
        return self.verdict is not Verdict.NOT_REVIEWED

    def to_dict(self) -> dict[str, Any]:
        if not self.reviewed:
            from coach.language import NOT_ENGLISH

            return {
                "id": self.id,
                "verdict": None,
                "score": None,
                "language": self.language,
                "message": NOT_ENGLISH,
                "fields": None,
                "findings": [],
            }
        return {
            "id": self.id,
            "verdict": self.verdict.value,
            "score": self.score,
            "language": self.language,
            "message": None,
            "fields": self.fields.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
        }

    def rules(self) -> tuple[str, ...]:
        return tuple(f.rule for f in self.findings)


@dataclass(frozen=True)
class SetReview:
    """An objective, its key results, and the findings about the set as a whole."""

    objective: Review
    key_results: tuple[Review, ...]
    findings: tuple[Finding, ...] = field(default=())

    @property
    def verdict(self) -> Verdict:
        """One overall verdict: the worst of the objective, its key results and the set rules
        (items the coach did not review, being in another language, do not count)."""
        rank = {Verdict.GOOD: 0, Verdict.WEAK: 1, Verdict.BAD: 2}
        verdicts = [r.verdict for r in (self.objective, *self.key_results) if r.reviewed]
        if any(f.severity is Severity.BLOCKING for f in self.findings):
            verdicts.append(Verdict.BAD)
        elif any(f.severity is Severity.WARNING for f in self.findings):
            verdicts.append(Verdict.WEAK)
        if not verdicts:
            return Verdict.NOT_REVIEWED
        return max(verdicts, key=rank.__getitem__)

    @property
    def score(self) -> int | None:
        """The mean of the reviewed items' scores, capped to the overall verdict's band."""
        scores = [r.score for r in (self.objective, *self.key_results) if r.reviewed]
        if not scores:
            return None
        mean = round(sum(scores) / len(scores))
        band = {Verdict.GOOD: (70, 100), Verdict.WEAK: (40, 69), Verdict.BAD: (0, 39)}
        low, high = band.get(self.verdict, (0, 100))
        return min(max(mean, low), high)

    def to_dict(self) -> dict[str, Any]:
        overall = self.verdict
        return {
            "verdict": overall.value if overall is not Verdict.NOT_REVIEWED else None,
            "score": self.score,
            "objective": self.objective.to_dict(),
            "key_results": [kr.to_dict() for kr in self.key_results],
            "findings": [f.to_dict() for f in self.findings],
        }
