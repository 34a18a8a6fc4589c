"""Is there a quantity that can move, and a level it should reach? Read from the clause's shape.

Settled boundary case 3: a measurable outcome with no target (a bare direction, "Podcast audience
grows faster than before", "Month-on-month gross sales growth") is weak; it is bad only when
nothing is measured at all ("Reference material is clear", "Customers are amazed ..."). Both
have no number, so the words alone leave the model to guess (the largest cross-validated error,
train.py). The parse reads three things: a direction (a change verb in any form, a change noun
such as "growth" or "gains", a comparative), what moves (a metric noun, a count of plural things
after "more" or "fewer", a reach noun) and whether the item is only a metric's name (a noun
phrase with no verb, ending on a metric noun). The model weighs the facts; no rule reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.rules import lexicon as lx
from coach.rules import text as tx

# Nouns of a change: "gains in visibility", "growth", "a drop in arrears".
_CHANGE_NOUNS = lx.words(
    "growth gain gains increase increases decrease decreases decline declines rise rises drop "
    "drops reduction reductions improvement improvements uplift lift fall falls cut cuts"
)
# Comparatives of an amount ("more plays", "fewer errors", "less time").
_AMOUNT_COMPARATIVES = lx.words("more fewer less higher lower greater bigger smaller")
# Reach and audience nouns: a count of other people's acts, measurable though often vanity.
_COUNT_NOUNS = lx.VANITY_TERMS | lx.SOCIAL_REACH_TERMS | lx.words("audience audiences ranking")
_BE_HAVE = lx.words("is are was were be been being has have had will can")
# Adjectives and adverbs of a quality with no scale: "clear", "polished", "smoothly".
_QUALITY_STATES = lx.ABSTRACT_QUALITIES | lx.words(
    "clear polished smooth smoothly reliable reliably simple helpful amazed happy proud "
    "seamless seamlessly consistent consistently easy easier intuitive robust modern "
    "well-known recognised recognized trusted loved favourable favorable good great"
)


@dataclass(frozen=True)
class Quantity:
    moves: bool  # a direction is stated: a change verb, a change noun or a comparative
    counted: bool  # what moves can be counted: a metric noun or "more <plural things>"
    metric_name_only: bool  # a verbless noun phrase ending on a metric noun: "LTV/CAC payback"
    quality_state: bool  # a quality with no scale and no metric noun: "material is clear"
    moving_amount: bool = False  # a direction on something countable, with no number given


def _plural(w: str) -> bool:
    return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is"))


def quantity(words: tuple[str, ...], metric_named: bool, has_number: bool) -> Quantity:
    if not words:
        return Quantity(False, False, False, False, False)
    vocabulary = set(words)
    moves = False
    counted = metric_named or bool(vocabulary & _COUNT_NOUNS)
    for j, w in enumerate(words):
        if w in tx.CHANGE_FORMS or w in _CHANGE_NOUNS or w in lx.DIRECTION_COMPARATIVES:
            moves = True
        if w in _AMOUNT_COMPARATIVES and j + 1 < len(words):
            after = [x for x in words[j + 1 : j + 3] if x not in lx.STOPWORDS]
            if after and (_plural(after[0]) or after[0] in lx.METRIC_NOUNS):
                counted = True
    verbless = not vocabulary & _BE_HAVE and not any(
        w in tx.ALL_VERB_FORMS and not w.endswith("ing") for w in words
    )
    content = [w for w in words if w not in lx.STOPWORDS]
    metric_name_only = (
        verbless
        and not has_number
        and len(content) <= 8
        and bool(content)
        and (content[-1] in lx.METRIC_NOUNS or content[-1] in _CHANGE_NOUNS)
    )
    quality_state = (
        not has_number and not metric_named and bool(vocabulary & _QUALITY_STATES) and not moves
    )
    return Quantity(
        moves, counted, metric_name_only, quality_state, moves and counted and not has_number
    )
