"""Who acts or changes in a key result (coach.rules.subject): one table per fact the model reads,
with drafts where the fact must be found and drafts where it must not. All examples invented."""

from __future__ import annotations

from dataclasses import replace

import pytest

from coach.review import review_key_result, review_text
from coach.rules import key_results as krr
from coach.rules import lexicon as lx
from coach.types import KeyResultDraft

FACT_TABLE: dict[str, tuple[list[str], list[str]]] = {
    # the organisation's own staff or unit doing an amount of work
    "own_acts_n": (
        [
            "Housing officers carry out 250 tenancy checks a month",
            "Our caseworkers close 600 cases",
            "The parks crew plants 1,500 trees",
            "Each Denholm adviser handles 40 calls a day",
            "Kitchen team members prepare 300 meals a day",
            "CSMs hold 80 account reviews",
        ],
        [
            "Tenants report 300 repairs through the app",
            "Library members borrow 20,000 e-books",
            "Run 12 workshops for ward staff",
            "Fewer than 1 in 200 parcels arrive damaged",
            "Average wait for a caseworker under 10 days",
            "3 engineers hired",
            "Ticket backlog older than 30 days falls to 40",
        ],
    ),
    # the people served doing an amount of something: an outcome
    "others_acts_n": (
        ["Tenants report 300 repairs through the app", "Library members borrow 20,000 e-books"],
        ["Our caseworkers close 600 cases", "Grow library members from 8,000 to 9,500"],
    ),
    # a share of the team's own things: coverage of its own setup
    "share_own": (
        [
            "100% of our branch tills run the new base image",
            "90% of our intake forms are moved to the new platform",
        ],
        [
            "85% of staff say they have the tools they need in the spring pulse",
            "70% of tenants rate repairs 4 or 5 out of 5",
        ],
    ),
    # a share of people, whether staff or served (survey frames and uptake are outcomes)
    "share_people": (
        ["85% of staff say they have the tools they need in the spring pulse"],
        ["100% of our branch tills run the new base image"],
    ),
    # the team's own thing reported done or in place
    "own_done": (
        [
            "The volunteer rota app is launched",
            "The new triage pathway is in place",
            "Second cold store installed and commissioned",
            "40 depot roofs replaced",
        ],
        [
            "The riverside licence is approved by the county council",
            "Volunteers feel valued",
            "Missed bin collections reduced",
            "Reduce the number of families waiting for a school place",
        ],
    ),
    # a done-state someone else decides (settled case 2: a binary outcome)
    "decided_done": (
        [
            "The riverside licence is approved by the county council",
            "The new cycling strategy is adopted by all four boroughs",
        ],
        ["The volunteer rota app is launched"],
    ),
}


def _cases(found: bool) -> list[tuple[str, str]]:
    return [(fact, t) for fact, (yes, no) in FACT_TABLE.items() for t in (yes if found else no)]


@pytest.mark.parametrize(("fact", "text"), _cases(True))
def test_subject_fact_is_found(fact: str, text: str) -> None:
    assert getattr(krr.analyse_kr(text), fact), krr.analyse_kr(text).actor


@pytest.mark.parametrize(("fact", "text"), _cases(False))
def test_subject_fact_is_not_found(fact: str, text: str) -> None:
    assert not getattr(krr.analyse_kr(text), fact), krr.analyse_kr(text).actor


def test_the_staff_and_served_lists_partition_the_beneficiaries() -> None:
    assert not lx.SERVED_NOUNS & lx.STAFF_NOUNS
    assert lx.BENEFICIARY_NOUNS <= lx.SERVED_NOUNS | lx.STAFF_NOUNS


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Housing officers carry out 250 tenancy checks a month", "(Housing officers)"),
        ("100% of our branch tills run the new base image", "(our branch tills)"),
        ("The volunteer rota app is launched", "(The volunteer rota app)"),
    ],
)
def test_the_models_output_finding_names_whose_work_it_counts(text: str, named: str) -> None:
    facts = krr.analyse_kr(text)
    finding = krr.model_blocking(facts, output=True)
    assert finding.rule == "KR-04-OUTCOME" and named in finding.message
    assert finding.message.startswith("It ") and finding.message.endswith(".")


def test_the_models_output_finding_keeps_the_general_wording_without_a_subject() -> None:
    text = "Run 12 workshops for ward staff"
    facts = krr.analyse_kr(text)
    finding = krr.model_blocking(facts, output=True)
    assert finding.message.startswith("This describes the team's own work")


@pytest.mark.with_model
@pytest.mark.parametrize(
    "text",
    [
        "Finance team closes 12 month-ends on time this year",
        "Archive team digitises 5,000 parish records by June",
    ],
)
def test_a_counted_output_the_model_calls_bad_is_blamed_on_the_work_not_on_the_measure(
    text: str,
) -> None:
    # Both field heads read a measured outcome here, yet the model calls the item bad: the
    # weaker of the two claims (who acts) explains it, never "nothing is measured" on a count.
    review = review_text(text, kind="key_result")
    assert review.verdict.value == "bad"
    assert "KR-04-OUTCOME" in review.rules() and "KR-01-METRIC" not in review.rules()
    assert review.fields.measurable  # the fields stay the heads' own reading


def test_the_models_blocking_finding_follows_the_blame_it_is_given() -> None:
    text = "Customer love for the brand grows"
    facts = krr.analyse_kr(text)
    assert krr.model_blocking(facts, output=False).rule == "KR-01-METRIC"
    assert krr.model_blocking(facts, output=True).rule == "KR-04-OUTCOME"


@pytest.mark.with_model
@pytest.mark.parametrize(
    ("text", "baseline", "target", "unit"),
    [
        # before: bad as written, weak in the product (the empty data source's warning read as
        # evidence of a measured outcome)
        ("Regulator finds our audit trail sound", None, None, None),
        ("Renewal calls held before the quote goes out grow from 0 to 10", 0.0, 10.0, "calls"),
        ("Accounts with a renewal plan 90 days out rise from 3 to 12", 3.0, 12.0, "accounts"),
    ],
)
def test_structured_fields_other_than_the_numbers_never_move_the_models_verdict(
    text: str, baseline: float | None, target: float | None, unit: str | None
) -> None:
    # The product's draft carries an empty data source, the kind, owners and confidence; the
    # model reads what it was trained on (text, objective, numbers), and the data source's own
    # warning (KR-10) is added after it has decided, never read as evidence by it.
    numbers = KeyResultDraft(
        text=text,
        parent_objective="Make renewals a conversation, not a surprise",
        baseline=baseline,
        target=target,
        unit=unit,
    )
    in_product = replace(
        numbers, kr_type="metric", owners=("33",), okr_type="committed", data_source=""
    )
    written = review_key_result(numbers)
    shown = review_key_result(in_product)
    assert set(shown.rules()) - {"KR-10-DEFINED"} == set(written.rules()) - {"KR-10-DEFINED"}
    expected = "weak" if written.verdict.value == "good" else written.verdict.value
    assert shown.verdict.value == expected
