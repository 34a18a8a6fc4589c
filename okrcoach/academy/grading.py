"""Grading engines: pure functions from an activity's spec and a learner's answers to a result.

Every result is a JSON-serialisable dict with at least `score` (0-100) and `passed`; the rest is
the feedback the page shows, so an attempt can be shown again exactly as graded."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

Result = dict[str, Any]


def _percent(part: float, whole: float) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def grade_quiz(spec: Mapping[str, Any], answers: Mapping[str, Sequence[int]]) -> Result:
    """Single: the one correct choice. Multiple: exactly the set of correct choices.
    Every choice keeps its explanation, so the learner sees why each was right or wrong."""
    questions = []
    correct_count = 0
    for q in spec["questions"]:
        selected = sorted({int(i) for i in answers.get(q["id"], [])})
        right = [i for i, c in enumerate(q["choices"]) if c["correct"]]
        is_correct = selected == right
        correct_count += is_correct
        questions.append(
            {
                "id": q["id"],
                "prompt": q["prompt"],
                "kind": q["kind"],
                "correct": is_correct,
                "explanation": q.get("explanation", ""),
                "choices": [
                    {
                        "text": c["text"],
                        "correct": c["correct"],
                        "selected": i in selected,
                        "explanation": c["explanation"],
                    }
                    for i, c in enumerate(q["choices"])
                ],
            }
        )
    score = _percent(correct_count, len(questions))
    return {
        "score": score,
        "passed": score >= spec["pass_mark"],
        "correct": correct_count,
        "total": len(questions),
        "pass_mark": spec["pass_mark"],
        "questions": questions,
    }


def grade_sorting(spec: Mapping[str, Any], answers: Mapping[str, str]) -> Result:
    labels = {c["id"]: c["label"] for c in spec["categories"]}
    items = []
    for item in spec["items"]:
        chosen = answers.get(item["id"], "")
        items.append(
            {
                "id": item["id"],
                "text": item["text"],
                "chosen": labels.get(chosen, ""),
                "answer": labels[item["answer"]],
                "correct": chosen == item["answer"],
                "explanation": item["explanation"],
            }
        )
    right = sum(i["correct"] for i in items)
    score = _percent(right, len(items))
    return {
        "score": score,
        "passed": score >= spec["pass_mark"],
        "correct": right,
        "total": len(items),
        "pass_mark": spec["pass_mark"],
        "items": items,
    }


def grade_flaws(spec: Mapping[str, Any], selected: Sequence[str]) -> Result:
    """+1 per flaw found, -1 per non-flaw selected, never below 0; score = points / flaws."""
    chosen = set(selected)
    total = sum(1 for o in spec["options"] if o["is_flaw"])
    found = sum(1 for o in spec["options"] if o["is_flaw"] and o["id"] in chosen)
    wrong = sum(1 for o in spec["options"] if not o["is_flaw"] and o["id"] in chosen)
    points = max(0, found - wrong)
    score = _percent(points, total)
    options = [
        {
            "id": o["id"],
            "text": o["text"],
            "is_flaw": o["is_flaw"],
            "selected": o["id"] in chosen,
            "rule": o.get("rule", ""),
            "explanation": o["explanation"],
        }
        for o in spec["options"]
    ]
    return {
        "score": score,
        "passed": score >= spec["pass_mark"],
        "points": points,
        "found": found,
        "wrong": wrong,
        "total": total,
        "pass_mark": spec["pass_mark"],
        "options": options,
    }


def grade_rewrite(spec: Mapping[str, Any], review: Mapping[str, Any]) -> Result:
    """Pass = English text (the coach reviews English only), no blocking finding and a coach
    score of at least `pass_score`."""
    english = review.get("language", "en") == "en"
    passed = english and not review["has_blocking"] and review["score"] >= spec["pass_score"]
    return {
        "language": review.get("language", "en"),
        "message": review.get("message"),
        "score": float(review["score"]),
        "passed": passed,
        "pass_score": spec["pass_score"],
        "verdict": review["verdict"],
        "has_blocking": review["has_blocking"],
        "findings": list(review["findings"]),
        "model_answer": spec["model_answer"],
    }


def grade_calibration(spec: Mapping[str, Any], answers: Mapping[str, float]) -> Result:
    tolerance = float(spec["tolerance"])
    items = []
    for item in spec["items"]:
        given = float(answers[item["id"]])
        distance = round(abs(given - float(item["expert_score"])), 2)
        items.append(
            {
                "id": item["id"],
                "text": item["text"],
                "given": given,
                "expert": item["expert_score"],
                "distance": distance,
                # A hair of slack: 0.6 vs 0.8 with tolerance 0.2 must count despite float error.
                "calibrated": distance <= tolerance + 1e-9,
                "explanation": item["explanation"],
            }
        )
    within = sum(i["calibrated"] for i in items)
    score = _percent(within, len(items))
    mean = round(sum(i["distance"] for i in items) / len(items), 2) if items else 0.0
    return {
        "score": score,
        "passed": score >= spec["pass_mark"],
        "within": within,
        "total": len(items),
        "tolerance": tolerance,
        "mean_distance": mean,
        "pass_mark": spec["pass_mark"],
        "items": items,
    }


def count_words(text: str) -> int:
    return len(re.findall(r"[\w'’-]+", text))


def grade_reflection(spec: Mapping[str, Any], text: str) -> Result:
    words = count_words(text)
    passed = words >= spec["min_words"]
    return {
        "score": 100.0 if passed else 0.0,
        "passed": passed,
        "words": words,
        "min_words": spec["min_words"],
    }


def field_progress(spec: Mapping[str, Any], count: int) -> Result:
    required = int(spec["count"])
    done = min(count, required)
    return {
        "score": _percent(done, required),
        "passed": count >= required,
        "count": done,
        "required": required,
    }


# Scenario: the walk is kept in the attempt's state as {"node": id | None, "path": [...]}.


def scenario_start(spec: Mapping[str, Any]) -> dict[str, Any]:
    return {"node": spec["start"], "path": []}


def scenario_node(spec: Mapping[str, Any], node_id: str) -> Mapping[str, Any]:
    return next(n for n in spec["nodes"] if n["id"] == node_id)


def scenario_choose(
    spec: Mapping[str, Any], state: Mapping[str, Any], choice: int
) -> dict[str, Any]:
    """Take one choice at the current node; return the new state (the input is not changed)."""
    node_id = state.get("node")
    if node_id is None:
        raise ValueError("The scenario is already finished.")
    node = scenario_node(spec, node_id)
    if not 0 <= choice < len(node["choices"]):
        raise ValueError("No such choice.")
    picked = node["choices"][choice]
    step = {
        "node": node_id,
        "text": node["text"],
        "choice": choice,
        "choice_text": picked["text"],
        "score": picked["score"],
        "best": max(c["score"] for c in node["choices"]),
        "feedback": picked["feedback"],
    }
    return {"node": picked.get("next"), "path": [*state.get("path", []), step]}


def grade_scenario(spec: Mapping[str, Any], state: Mapping[str, Any]) -> Result:
    """Score = points earned / best points available at the nodes actually visited."""
    path = state.get("path", [])
    earned = sum(s["score"] for s in path)
    best = sum(s["best"] for s in path)
    score = _percent(earned, best) if best else 100.0
    finished = state.get("node") is None
    return {
        "score": score,
        "passed": finished and score >= spec["pass_mark"],
        "finished": finished,
        "earned": earned,
        "best": best,
        "pass_mark": spec["pass_mark"],
        "path": list(path),
    }


def item_analysis(
    rows: Sequence[tuple[float, Mapping[str, bool]]], question_ids: Sequence[str]
) -> list[dict[str, Any]]:
    """Per question: the share answering correctly and the discrimination index
    (share correct in the top 27% of learners by total score minus the bottom 27%).

    `rows` holds one (total score, {question id: correct}) per learner."""
    ranked = sorted(rows, key=lambda r: r[0], reverse=True)
    n = len(ranked)
    group = max(1, round(n * 0.27)) if n else 0
    upper, lower = ranked[:group], ranked[n - group :] if group else []
    out = []
    for qid in question_ids:
        answered = [r[1][qid] for r in ranked if qid in r[1]]
        share = _percent(sum(answered), len(answered)) if answered else None
        disc = None
        if n >= 2:
            up = [r[1].get(qid, False) for r in upper]
            lo = [r[1].get(qid, False) for r in lower]
            disc = round(sum(up) / len(up) - sum(lo) / len(lo), 2)
        out.append(
            {"id": qid, "answered": len(answered), "share_correct": share, "discrimination": disc}
        )
    return out


def next_interval(interval_days: int, correct: bool, first: int = 7) -> int:
    """Spaced refreshers: the interval doubles after a correct answer and starts over after a
    wrong one."""
    return interval_days * 2 if correct else first
