"""`python -m coach.evaluate` measures any labelled JSONL file, named by position or by --file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.evaluate import main


@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    rows = [
        {
            "id": "T-KR-1",
            "kind": "key_result",
            "text": "Share of new hires who stay past their first year rises from 70% to 85%",
            "parent_objective": "New colleagues choose to build their careers with us",
            "measurable": "y",
            "has_target": "y",
            "has_baseline": "y",
            "outcome_vs_output": "outcome",
            "overall_quality": "good",
        },
        {
            "id": "T-OBJ-1",
            "kind": "objective",
            "text": "New colleagues choose to build their careers with us",
            "overall_quality": "good",
        },
    ]
    path = tmp_path / "mine.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_file_option_measures_the_file_and_ends_with_its_headline(
    labelled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--file", str(labelled)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].startswith("overall: mine.jsonl KR macro-F1 ")
    assert "objective macro-F1" in out[-1]
    assert not any(line.startswith("holdout") for line in out)


def test_positional_file_and_file_option_agree(
    labelled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main([str(labelled)])
    positional = capsys.readouterr().out
    main(["--file", str(labelled)])
    assert capsys.readouterr().out == positional
