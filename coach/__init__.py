"""okrcoach's quality coach: pure Python, standard library only, no Django.

Entry points: review_key_result(), review_objective(), review_set(), review_text().
"""

from coach.review import (
    detect_kind,
    review_key_result,
    review_objective,
    review_set,
    review_text,
)
from coach.rules.process import checkin, compensation
from coach.rules.sets import objective_count
from coach.types import (
    Fields,
    Finding,
    KeyResultDraft,
    Kind,
    ObjectiveDraft,
    Review,
    SetReview,
    Severity,
    Verdict,
)

__all__ = [
    "Fields",
    "Finding",
    "KeyResultDraft",
    "Kind",
    "ObjectiveDraft",
    "Review",
    "SetReview",
    "Severity",
    "Verdict",
    "checkin",
    "compensation",
    "detect_kind",
    "objective_count",
    "review_key_result",
    "review_objective",
    "review_set",
    "review_text",
]
