"""Is there a quantity that moves (coach.rules.quantity): one table per fact the model reads,
with drafts where the fact must be found and drafts where it must not. All examples invented."""

from __future__ import annotations

import pytest

from coach import model
from coach.rules import key_results as krr

FACT_TABLE: dict[str, tuple[list[str], list[str]]] = {
    # a direction with something countable and no number: measurable, no target (settled case 3)
    "q_moving_amount": (
        [
            "Noise complaints keep falling",
            "More reservations collected before they expire",
            "Waiting times for a first appointment get shorter",
            "Steady gains in repeat bookings",
        ],
        [
            "Noise complaints fall from 120 to 60 a month",
            "Reference pages are clear and easy to find",
            "Refit the children's corner at Moss Lane",
        ],
    ),
    # only a metric's name, no verb and no number
    "q_name_only": (
        ["Client retention", "Trial-to-paid conversion", "Quarter-on-quarter subscription growth"],
        ["Client retention reaches 92%", "Members renew their cards", "Refit the reading room"],
    ),
    # a quality with no scale and nothing counted
    "q_quality_state": (
        ["Handover notes are clear and consistent", "Ward handovers run smoothly"],
        ["Ward handovers finish within 15 minutes", "Fewer handovers overrun"],
    ),
}


@pytest.mark.parametrize(
    ("fact", "text", "expected"),
    [
        (fact, text, expected)
        for fact, (found, absent) in FACT_TABLE.items()
        for texts, expected in ((found, True), (absent, False))
        for text in texts
    ],
)
def test_the_quantity_fact_is_read_from_the_clause(fact: str, text: str, expected: bool) -> None:
    assert getattr(krr.analyse_kr(text), fact) is expected


def test_the_model_reads_the_quantity_facts_only_when_they_are_on() -> None:
    facts = krr.analyse_kr("Noise complaints keep falling")
    on = model.features(facts.raw, facts, [], "weak")
    assert "f:q_moving_amount" in on
    model.QUANTITY = False
    try:
        off = model.features(facts.raw, facts, [], "weak")
    finally:
        model.QUANTITY = True
    assert not [f for f in off if f.startswith("f:q_")]
