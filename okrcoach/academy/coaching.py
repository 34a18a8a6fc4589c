"""The only module that knows the quality coach's API: it turns learner text into a plain,
JSON-serialisable review the academy stores in an attempt and shows on the page."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import coach
from coach.language import NOT_ENGLISH

# The rule ids of the rubric (coach-rubric.md). Content may cite only these; they are stable.
RUBRIC_RULE_IDS: frozenset[str] = frozenset(
    [
        f"KR-{n:02d}-{name}"
        for n, name in enumerate(
            [
                "METRIC",
                "TARGET",
                "BASELINE",
                "OUTCOME",
                "BINARY",
                "VAGUE",
                "SINGLE",
                "PLACEHOLDER",
                "RELATIVE",
                "DEFINED",
                "VANITY",
                "LOW-VALUE",
                "AMBITION",
                "TIMEBOX",
                "OWNER",
                "RELEVANCE",
                "CONTROL",
                "LEADING",
            ],
            start=1,
        )
    ]
    + [
        f"OBJ-{n:02d}-{name}"
        for n, name in enumerate(
            [
                "QUALITATIVE",
                "CONCISE",
                "NOT-BAU",
                "NOT-DELIVERABLE",
                "SINGLE-THEME",
                "SCOPE",
                "ALIGNED",
                "WHY",
            ],
            start=1,
        )
    ]
    + [
        f"SET-{n:02d}-{name}"
        for n, name in enumerate(
            ["KR-COUNT", "OBJ-COUNT", "SUFFICIENCY", "COUNTER-METRIC", "TYPE", "SEPARATION"],
            start=1,
        )
    ]
    + ["PROC-01-CHECKIN", "PROC-02-COMP"]
)


KINDS = ("objective", "key_result")


@dataclass(frozen=True)
class CoachFinding:
    rule: str
    severity: str  # blocking | warning | info
    message: str
    question: str
    suggestion: str


@dataclass(frozen=True)
class CoachReview:
    verdict: str  # good | weak | bad | not_reviewed (not English)
    score: int
    findings: tuple[CoachFinding, ...]
    language: str = "en"

    @property
    def has_blocking(self) -> bool:
        return any(f.severity == "blocking" for f in self.findings)

    def to_dict(self) -> dict[str, object]:
        return {
            "verdict": self.verdict,
            "score": self.score,
            "has_blocking": self.has_blocking,
            "findings": [asdict(f) for f in self.findings],
            "language": self.language,
            "message": None if self.language == "en" else NOT_ENGLISH,
        }


def review_draft(text: str, *, kind: str, parent_objective: str | None = None) -> CoachReview:
    """Review one objective or key result the learner wrote."""
    if kind not in KINDS:
        raise ValueError(f"Unknown kind {kind!r}")
    review = coach.review_text(text, kind=kind, parent_objective=parent_objective or None)
    return CoachReview(
        language=review.language,
        verdict=review.verdict.value,
        score=int(review.score),
        findings=tuple(
            CoachFinding(
                rule=f.rule,
                severity=f.severity.value,
                message=f.message,
                question=f.question,
                suggestion=f.suggestion,
            )
            for f in review.findings
        ),
    )
