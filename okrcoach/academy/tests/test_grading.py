from __future__ import annotations

import pytest

from okrcoach.academy import grading

from .factories import CALIBRATION, FLAWS, QUIZ, REFLECTION, SCENARIO, SORTING


def test_a_quiz_with_every_answer_right_scores_100_and_explains_every_choice() -> None:
    result = grading.grade_quiz(QUIZ, {"q1": [1], "q2": [0, 1]})
    assert result["score"] == 100.0 and result["passed"]
    assert all(c["explanation"] for q in result["questions"] for c in q["choices"])


def test_a_multiple_question_needs_exactly_the_correct_set() -> None:
    result = grading.grade_quiz(QUIZ, {"q1": [1], "q2": [0]})
    assert result["score"] == 50.0 and result["passed"]  # pass mark 50
    assert [q["correct"] for q in result["questions"]] == [True, False]
    assert not grading.grade_quiz(QUIZ, {"q1": [0], "q2": [0, 1, 2]})["passed"]


def test_sorting_scores_the_share_of_items_in_the_right_category() -> None:
    result = grading.grade_sorting(SORTING, {"s1": "objective", "s2": "objective"})
    assert result["score"] == 50.0
    assert result["items"][1]["answer"] == "Key result" and not result["items"][1]["correct"]


@pytest.mark.parametrize(
    ("selected", "points", "score"),
    [
        (["f1", "f2"], 2, 100.0),
        (["f1"], 1, 50.0),
        (["f1", "f3"], 0, 0.0),
        (["f3"], 0, 0.0),
        (["f1", "f2", "f3"], 1, 50.0),
        ([], 0, 0.0),
    ],
)
def test_flaw_spotting_gives_a_point_per_flaw_takes_one_per_non_flaw_and_floors_at_zero(
    selected: list[str], points: int, score: float
) -> None:
    result = grading.grade_flaws(FLAWS, selected)
    assert (result["points"], result["score"]) == (points, score)


def test_a_rewrite_passes_only_without_blocking_findings_and_at_the_pass_score() -> None:
    spec = {"pass_score": 70, "model_answer": "m"}
    good = {"verdict": "good", "score": 90, "has_blocking": False, "findings": []}
    blocked = {"verdict": "bad", "score": 90, "has_blocking": True, "findings": []}
    low = {"verdict": "weak", "score": 60, "has_blocking": False, "findings": []}
    assert grading.grade_rewrite(spec, good)["passed"]
    assert not grading.grade_rewrite(spec, blocked)["passed"]
    assert not grading.grade_rewrite(spec, low)["passed"]


def test_calibration_counts_answers_within_tolerance_of_the_expert_key() -> None:
    result = grading.grade_calibration(CALIBRATION, {"c1": 0.8, "c2": 0.5})
    assert [i["calibrated"] for i in result["items"]] == [True, False]
    assert result["score"] == 50.0 and result["mean_distance"] == 0.25


def test_a_reflection_passes_at_the_minimum_word_count() -> None:
    assert grading.grade_reflection(REFLECTION, "one two three four five")["passed"]
    assert not grading.grade_reflection(REFLECTION, "one two three four")["passed"]


def test_a_scenario_walk_scores_against_the_best_choice_at_each_node_visited() -> None:
    state = grading.scenario_start(SCENARIO)
    state = grading.scenario_choose(SCENARIO, state, 1)  # 0 of 2
    assert state["node"] == "n2" and not grading.grade_scenario(SCENARIO, state)["finished"]
    state = grading.scenario_choose(SCENARIO, state, 0)  # 2 of 2
    result = grading.grade_scenario(SCENARIO, state)
    assert result["finished"] and result["score"] == 50.0 and not result["passed"]
    assert [s["feedback"] for s in result["path"]] == ["No.", "Great."]
    with pytest.raises(ValueError):
        grading.scenario_choose(SCENARIO, state, 0)


def test_a_scenario_rejects_a_choice_that_does_not_exist() -> None:
    with pytest.raises(ValueError):
        grading.scenario_choose(SCENARIO, grading.scenario_start(SCENARIO), 7)


def test_field_progress_completes_at_the_required_count() -> None:
    spec = {"count": 3}
    assert grading.field_progress(spec, 2) == {
        "score": 66.7,
        "passed": False,
        "count": 2,
        "required": 3,
    }
    assert grading.field_progress(spec, 5)["passed"]


def test_item_analysis_reports_share_correct_and_upper_minus_lower_discrimination() -> None:
    rows = [
        (100.0, {"a": True, "b": True}),
        (80.0, {"a": True, "b": False}),
        (40.0, {"a": False, "b": True}),
        (10.0, {"a": False, "b": True}),
    ]
    by_id = {r["id"]: r for r in grading.item_analysis(rows, ["a", "b"])}
    assert by_id["a"]["share_correct"] == 50.0 and by_id["a"]["discrimination"] == 1.0
    assert by_id["b"]["share_correct"] == 75.0 and by_id["b"]["discrimination"] == 0.0


def test_refresher_interval_doubles_when_right_and_starts_over_when_wrong() -> None:
    assert grading.next_interval(7, True) == 14
    assert grading.next_interval(28, False) == 7


def test_a_rewrite_in_another_language_is_not_passed_by_the_coach() -> None:
    from okrcoach.academy.coaching import review_draft

    spec = {"pass_score": 70, "model_answer": "m"}
    review = review_draft(
        "Les abonnés qui renouvellent en ligne passent de 30 % à 45 % avant la fin du trimestre",
        kind="key_result",
    ).to_dict()
    result = grading.grade_rewrite(spec, review)
    assert not result["passed"] and result["language"] == "fr"
    assert "reviews English text today" in str(result["message"])
