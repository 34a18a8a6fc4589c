"""One catalogue for every rule id the coach can emit."""

import re
from pathlib import Path

from coach.catalogue import CATALOGUE, explain

COACH = Path(__file__).resolve().parents[1]


def test_every_rule_id_in_the_code_is_in_the_catalogue() -> None:
    ids = set()
    for path in [*COACH.glob("rules/*.py"), COACH / "review.py"]:
        ids |= set(re.findall(r'"((?:KR|OBJ|SET|PROC|LEN)-\d{2}-[A-Z0-9-]+)"', path.read_text()))
    assert ids and ids <= set(CATALOGUE), sorted(ids - set(CATALOGUE))


def test_explain_is_case_insensitive_and_says_how_it_is_detected() -> None:
    found = explain(" kr-04-outcome ")
    assert found is not None and found["severity"] == "blocking" and found["detection"]
    assert explain("KR-99-NOTHING") is None
