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

    def to_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "question": self.question,
            "suggestion": self.suggestion,
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "verdict": self.verdict.value,
            "score": self.score,
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "objective": self.objective.to_dict(),
            "key_results": [kr.to_dict() for kr in self.key_results],
            "findings": [f.to_dict() for f in self.findings],
        }
