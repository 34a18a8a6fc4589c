"""Rewrites a manager would accept, or none; applying one never makes the verdict worse."""

import pytest

from coach.evaluate import load_set
from coach.review import review_text
from coach.rewrites import RANK, keeps_the_authors_words, well_formed

pytestmark = pytest.mark.with_model


def test_a_vague_key_result_is_not_offered_a_label_with_blanks() -> None:
    """ "Onboard customers faster" once became "customers faster: _% (from _%)"."""
    review = review_text("Onboard customers faster", kind="key_result")
    assert all(f.rewrite is None or ":" not in f.rewrite for f in review.findings)
    assert all("_% (from _%)" not in (f.rewrite or "") for f in review.findings)


@pytest.mark.parametrize(
    "text",
    [
        "customers faster: _% (from _%)",
        "Share of customers who use the the guide rises from _% to _%",
        "Share of tenants who act after the rises from _% to",
        "<who> can <do what>",
        "Grow paid seats by X%",
    ],
)
def test_garbled_sentences_are_never_rewrites(text: str) -> None:
    assert not well_formed(text)


def test_a_hiring_key_result_never_gets_a_customer_measure() -> None:
    assert not keeps_the_authors_words(
        "Hire 4 recruiters", "Share of customers served within target time rises from _% to _%"
    )


@pytest.mark.parametrize("name", ["realistic-heldback", "fresh7", "holdout"])
def test_applying_every_rewrite_never_gives_a_worse_verdict(name: str) -> None:
    worse = []
    for item in load_set(name):
        parent = item.get("parent_objective") or None
        before = review_text(item["text"], kind=item["kind"], parent_objective=parent)
        for f in before.findings:
            if f.rewrite:
                after = review_text(f.rewrite, kind=item["kind"], parent_objective=parent)
                if RANK[after.verdict.value] >= RANK[before.verdict.value]:
                    worse.append((item["id"], f.rewrite))
    assert worse == []
