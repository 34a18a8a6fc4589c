"""The command-line contract, end to end through a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coach.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_jsonl_review_keeps_order_reports_errors_and_skips_blank_lines() -> None:
    lines = [
        json.dumps({"id": "a", "kind": "key_result", "text": "Launch the referral page"}),
        "",
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "d", "kind": "key_result"}),
        json.dumps({"id": "e", "kind": "initiative", "text": "Fix the docks"}),
        "   ",
        json.dumps(
            {
                "id": 7,
                "text": "Clinic no-show rate from 20% to 12%",
                "parent_objective": "Patients get seen the week they call",
            }
        ),
        json.dumps({"id": "o", "kind": "objective", "text": "Support the VP's OKRs"}),
    ]
    proc = run(["review"], "\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", 3, 4, "d", "e", 7, "o"]
    assert out[0]["verdict"] == "bad" and out[0]["findings"][0]["rule"] == "KR-04-OUTCOME"
    # the contract's keys, plus "language"/"message" (not English) added for issue 9
    assert set(out[0]) == {"id", "verdict", "score", "fields", "findings", "language", "message"}
    assert set(out[0]["fields"]) == {"measurable", "outcome", "has_target", "has_baseline"}
    assert set(out[0]["findings"][0]) == {
        "rule",
        "severity",
        "message",
        "question",
        "suggestion",
        "rewrite",
    }
    assert out[0]["findings"][0]["severity"] == "blocking"
    for bad in out[1:5]:
        assert set(bad) == {"id", "error"}
    assert out[5]["verdict"] == "good" and 70 <= out[5]["score"] <= 100
    assert out[6]["verdict"] == "bad"


def test_empty_input_gives_empty_output_and_exit_zero() -> None:
    proc = run(["review"], "")
    assert proc.returncode == 0 and proc.stdout == ""


def test_readable_mode_prints_a_report_for_a_person() -> None:
    proc = run(
        [
            "review",
            "Launch the referral page",
            "--kind",
            "key_result",
            "--parent",
            "Grow word of mouth among small agencies",
        ]
    )
    assert proc.returncode == 0
    assert "Verdict: BAD" in proc.stdout
    assert "KR-04-OUTCOME" in proc.stdout and "Ask yourself:" in proc.stdout


def test_readable_mode_guesses_the_kind() -> None:
    proc = run(["review", "Make renting a bike take less than a minute"])
    assert proc.returncode == 0 and proc.stdout.startswith("Objective:")


def test_help_works() -> None:
    assert run(["--help"]).returncode == 0
    proc = run(["review", "--help"])
    assert proc.returncode == 0 and "blank lines" in proc.stdout.lower()
