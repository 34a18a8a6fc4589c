"""Text helpers the rules share."""

import re

import pytest

from coach.rules.text import has_whole_word


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("Raise NPS to 45", "NPS"),
        ("Raise NPSX to 45", "NPS"),
        ("the CSAT-score rises", "CSAT"),
        ("ARR", "ARR"),
        ("", "ARR"),
        ("e-mail opens", "E-"),
        ("it's ready", "IT'"),
        ("cost $5", "$"),
        ("a_b a", "A"),
        ("café CAFÉ", "CAFÉ"),
    ],
)
def test_has_whole_word_agrees_with_a_word_boundary_pattern(text: str, needle: str) -> None:
    assert has_whole_word(text, needle) == bool(re.search(rf"\b{re.escape(needle)}\b", text))
