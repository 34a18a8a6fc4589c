"""The command-line contract, end to end through a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

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
        "example",  # a worked example for the item's domain when there is no rewrite
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


def test_rules_lists_the_whole_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    from coach.catalogue import CATALOGUE
    from coach.cli import main

    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert f"{len(CATALOGUE)} rules" in out
    for rule in CATALOGUE.values():
        assert rule.id in out and rule.summary in out
    assert main(["rules", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in rows] == list(CATALOGUE)
    assert set(rows[0]) == {"id", "severity", "summary", "detection"}


def test_a_finding_without_rewrite_gives_its_domains_worked_example() -> None:
    from coach.cli import _review_line

    out = _review_line(
        json.dumps({"id": 1, "kind": "key_result", "text": "Run 12 campus recruiting events"}), 1
    )
    first = out["findings"][0]
    assert first["rewrite"] is None
    assert first["example"]["domain"] == "hiring"
    assert first["example"]["text"].startswith("Worked example (Hiring)")


def test_the_readable_report_names_the_rule_summary_and_the_worked_example() -> None:
    from coach.cli import render
    from coach.review import review_text

    text = "Run 12 campus recruiting events"
    report = render(review_text(text, kind="key_result"), text)
    assert "Measures a change in others" in report  # the catalogue's summary of KR-04
    assert "Worked example (Hiring)" in report
    assert "_%" not in report and "<" not in report  # no template with blanks in 'Try:'
