"""The coach's measured quality on the realistic held-back part must not fall below what the
issue note reports (figures from `python3 -m coach.evaluate`). Never tune on the held-back part."""

import pytest

from coach.evaluate import figures, load_set, score_items

pytestmark = pytest.mark.with_model

# What the note reports for realistic-heldback (measured 2026-12-02, second round: KR 0.743,
# bad->good 0.051, objectives 0.540). The goal (KR 0.80, bad->good 0.05, objectives 0.75) is not
# reached; these floors only stop a regression below what was measured.
# With the quantity facts of coach.rules.quantity (2026-12-04, issue 9 session 24, train.py
# seventh round): 0.741 -> 0.755, bad->good unchanged at 0.051.
# With the second-stage weak/bad head (2026-12-04, issue 9 session 25, train.py ninth round):
# 0.755 -> 0.772, bad->good unchanged, measurable unchanged at 0.892.
# With fresh17 trained at half weight (2026-12-05, issue 9 session 26, train.py tenth round): KR
# macro-F1 unchanged at 0.772, bad->good 0.051 -> 0.034 (2 of 59), measurable 0.892 -> 0.901.
# With the key-result heads as the average of three fits (2026-12-05, issue 9 session 27, train.py
# eleventh round, train.SEEDS = 3): 0.772 -> 0.780, bad->good 0.034 -> 0.017 (1 of 59),
# measurable 0.901 -> 0.910.
KR_MACRO_F1 = 0.780
KR_BAD_TO_GOOD = 0.017
# Objectives after the who-acts / state-vs-activity / vague-qualifier round (2026-12-03):
# 0.540 -> 0.563 (weak recall 0.368 -> 0.421). Settled cases 8/9 as general forms and fresh9
# (2026-12-03, issue 9 session 21): 0.563 -> 0.566 (weak recall 0.421 -> 0.474).
# The objective head (facts, clause features and the objective's shape; no words, no rule
# findings) decides objectives, trained with fresh11 (2026-12-03, issue 9 session 22): 0.566 ->
# 0.709 (weak recall 0.474 -> 0.684), see train.py's fifth round. The head as the average of five
# fits with a tenfold penalty (2026-12-04, issue 9 session 25, train.py's ninth round): 0.728
# (weak recall unchanged at 0.684). Trained with fresh18 as well (283 company-style objectives,
# weight 0.5; 2026-12-05, issue 9 session 26, train.py's tenth round): 0.749 (weak recall 0.737).
OBJ_MACRO_F1 = 0.749
# The measurable field of key results, once the model's measurable head was trained without the
# word features (2026-12-03: 0.829 -> 0.865); with the subject facts of coach.rules.subject and
# fresh8/fresh10 trained (2026-12-04, issue 9 session 23): 0.883 (KR macro-F1 0.741 against the
# 0.74 floor, bad->good 0.051, objectives 0.709: unchanged floors).
# With the quantity facts (session 24): 0.892. With fresh17 trained (session 26): 0.901. With
# three averaged fits (session 27): 0.910.
KR_MEASURABLE = 0.910


@pytest.fixture(scope="module")
def heldback() -> dict[str, dict[str, float]]:
    return figures(score_items(load_set("realistic-heldback")))


def test_key_result_macro_f1_on_the_held_back_part(heldback: dict) -> None:
    assert heldback["key_result"]["macro_f1"] >= KR_MACRO_F1


def test_few_bad_key_results_are_called_good(heldback: dict) -> None:
    assert heldback["key_result"]["bad_to_good"] <= KR_BAD_TO_GOOD


def test_objective_macro_f1_on_the_held_back_part(heldback: dict) -> None:
    assert heldback["objective"]["macro_f1"] >= OBJ_MACRO_F1


def test_the_measurable_field_of_key_results(heldback: dict) -> None:
    assert heldback["key_result"]["fields"]["measurable"] >= KR_MEASURABLE


def test_the_split_is_fixed_and_disjoint() -> None:
    tune = {i["id"] for i in load_set("realistic-tune")}
    held = {i["id"] for i in load_set("realistic-heldback")}
    assert len(tune) == 241 and len(held) == 159 and not tune & held
