"""The only module that knows the quality coach's API: it turns learner text into a plain,
JSON-serialisable review the academy stores in an attempt and shows on the page."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import coach
from coach import examples
from coach.catalogue import CATALOGUE
from coach.language import NOT_ENGLISH

# The rule ids of the coach's catalogue (coach.catalogue, which follows coach-rubric.md). Content
# may cite only these; they are stable.
RUBRIC_RULE_IDS: frozenset[str] = frozenset(CATALOGUE)


KINDS = ("objective", "key_result")


@dataclass(frozen=True)
class CoachFinding:
    rule: str
    severity: str  # blocking | warning | info
    message: str
    question: str
    suggestion: str
    summary: str = ""  # what the rule checks, from the catalogue
    advice: str = ""  # the suggestion without a template the coach did not trust as a rewrite


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
                summary=CATALOGUE[f.rule].summary if f.rule in CATALOGUE else "",
                advice=examples.advice(f),
            )
            for f in review.findings
        ),
    )
