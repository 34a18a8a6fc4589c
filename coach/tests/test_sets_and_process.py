"""Set-level rules, count checks and process rules."""

from __future__ import annotations

import pytest

from coach import (
    KeyResultDraft,
    ObjectiveDraft,
    checkin,
    compensation,
    objective_count,
    review_set,
)

OBJ = ObjectiveDraft(text="Make renting a bike take less than a minute", okr_type="aspirational")


def set_rules(objective: ObjectiveDraft, krs: list[str]) -> tuple[str, ...]:
    review = review_set(objective, [KeyResultDraft(text=t) for t in krs])
    return tuple(f.rule for f in review.findings)


GOOD_SET = [
    "Median time from app open to unlocked bike from 95 s to 40 s",
    "Rentals abandoned before unlock from 18% to 8%",
    "Rider satisfaction with the rental flow at least 4.5 in the in-app survey",
]

SET_CASES = [
    ("SET-01-KR-COUNT", OBJ, ["Rentals abandoned before unlock from 18% to 8%"], True),
    ("SET-01-KR-COUNT", OBJ, GOOD_SET, False),
    ("SET-03-SUFFICIENCY", OBJ, ["Launch the new unlock screen", "Run 3 rider interviews"], True),
    ("SET-03-SUFFICIENCY", OBJ, GOOD_SET, False),
    (
        "SET-04-COUNTER-METRIC",
        OBJ,
        ["Rentals per dock per day from 3 to 5", "200 new riders"],
        True,
    ),
    ("SET-04-COUNTER-METRIC", OBJ, GOOD_SET, False),
    ("SET-05-TYPE", ObjectiveDraft(text=OBJ.text), GOOD_SET, True),
    ("SET-05-TYPE", OBJ, GOOD_SET, False),
    ("SET-06-SEPARATION", OBJ, [*GOOD_SET, "Migrate to the new payment provider"], True),
    ("SET-06-SEPARATION", OBJ, GOOD_SET, False),
    (
        "KR-18-LEADING",
        OBJ,
        ["Annual pass renewals from 40% to 52%", "Revenue per bike from $900 to $1,100"],
        True,
    ),
    ("KR-18-LEADING", OBJ, GOOD_SET, False),
]


@pytest.mark.parametrize(("rule", "objective", "krs", "fires"), SET_CASES)
def test_set_rule(rule: str, objective: ObjectiveDraft, krs: list[str], fires: bool) -> None:
    assert (rule in set_rules(objective, krs)) is fires


def test_set_review_passes_the_objective_to_each_key_result() -> None:
    review = review_set(
        ObjectiveDraft(text="Make new employees productive in their first week"),
        [KeyResultDraft(text="Gross margin from 38% to 42%")],
    )
    assert "KR-16-RELEVANCE" in review.key_results[0].rules()


@pytest.mark.parametrize(
    ("count", "per", "fires"),
    [(7, "team", True), (4, "team", False), (4, "person", True), (3, "person", False)],
)
def test_objective_count(count: int, per: str, fires: bool) -> None:
    assert (objective_count(count, per) is not None) is fires


@pytest.mark.parametrize(("age", "fires"), [(35.0, True), (None, True), (6.0, False)])
def test_stale_check_in(age: float | None, fires: bool) -> None:
    assert (checkin(age) is not None) is fires


@pytest.mark.parametrize(("setting", "fires"), [(True, True), (False, False)])
def test_scores_in_pay(setting: bool, fires: bool) -> None:
    assert (compensation(setting) is not None) is fires
