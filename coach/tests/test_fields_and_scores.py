"""Fields follow the labelling conventions; score bands agree with the verdict."""

from __future__ import annotations

import pytest

from coach import KeyResultDraft, Kind, detect_kind, review_key_result, review_text
from coach.review import score_of, verdict_of
from coach.types import Finding, Severity

FIELDS = [
    # text, measurable, outcome, has_target, has_baseline
    ("Riders who renew an annual pass from 41% to 55%", True, True, True, True),
    ("Increase invoice volume by 20%", True, True, True, False),
    ("Increase invoice volume by 20% year over year", True, True, True, True),
    ("Close the books in 4 days, down from 9", True, True, True, True),
    ("Hire 3 engineers", True, False, True, False),
    ("Publish quarterly roadmap", False, False, False, False),
    ("Dunning emails are live", False, True, False, False),
    ("Reduce late returns", True, True, False, False),
    ("Grow paid seats by X%", True, True, False, False),
    ("Zero missed payroll runs", True, True, True, False),
    ("Clinic staff feel more confident", False, True, False, False),
]


@pytest.mark.parametrize(("text", "measurable", "outcome", "target", "baseline"), FIELDS)
def test_fields(text: str, measurable: bool, outcome: bool, target: bool, baseline: bool) -> None:
    f = review_key_result(KeyResultDraft(text=text)).fields
    assert (f.measurable, f.outcome, f.has_target, f.has_baseline) == (
        measurable,
        outcome,
        target,
        baseline,
    )


def _finding(sev: Severity) -> Finding:
    return Finding("X", sev, "m", "q?", "s")


@pytest.mark.parametrize(
    ("severities", "verdict", "low", "high"),
    [
        ([], "good", 70, 100),
        ([Severity.INFO] * 9, "good", 70, 100),
        ([Severity.WARNING], "weak", 40, 69),
        ([Severity.WARNING] * 9 + [Severity.INFO] * 4, "weak", 40, 69),
        ([Severity.BLOCKING], "bad", 0, 39),
        ([Severity.BLOCKING] * 5 + [Severity.WARNING] * 5, "bad", 0, 39),
    ],
)
def test_score_band_matches_verdict(
    severities: list[Severity], verdict: str, low: int, high: int
) -> None:
    findings = [_finding(s) for s in severities]
    assert verdict_of(findings).value == verdict
    assert low <= score_of(findings) <= high


@pytest.mark.parametrize(
    "text", ["Launch the referral page", "Reduce late returns", "NPS > 40", "Hire 3 engineers"]
)
def test_review_score_is_inside_its_verdict_band(text: str) -> None:
    r = review_key_result(KeyResultDraft(text=text))
    band = {"good": (70, 100), "weak": (40, 69), "bad": (0, 39)}[r.verdict.value]
    assert band[0] <= r.score <= band[1]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Make renting a bike take less than a minute", Kind.OBJECTIVE),
        ("Become the clinic families trust first", Kind.OBJECTIVE),
        ("Clinic no-show rate from 20% to 12%", Kind.KEY_RESULT),
        ("Reduce churn", Kind.KEY_RESULT),
        ("Hire 3 engineers", Kind.KEY_RESULT),
    ],
)
def test_kind_is_guessed_when_not_given(text: str, kind: Kind) -> None:
    assert detect_kind(text) is kind
    assert review_text(text).kind is kind


@pytest.mark.parametrize(
    "text",
    [
        "- KR1: Clinic no-show rate from 20% to 12%.",
        "clinic no-show rate from 20% to 12%",
        "  2) Clinic no-show rate from 20% to 12%;",
    ],
)
def test_messy_formatting_does_not_change_the_review(text: str) -> None:
    r = review_key_result(KeyResultDraft(text=text))
    assert r.verdict.value == "good" and r.fields.has_baseline
