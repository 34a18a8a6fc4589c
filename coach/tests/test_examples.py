"""The worked-example library: one invented example per domain, picked from the item's and its
objective's words, shown when the coach cannot build a rewrite."""

from __future__ import annotations

import re

import pytest

from coach import KeyResultDraft, review_key_result
from coach.examples import (
    DOMAINS,
    GENERAL,
    WorkedExample,
    domain_of,
    example_for,
    worked_example,
)
from coach.review import review_text
from coach.types import Finding, Severity

REQUIRED = {
    "hiring",
    "support",
    "sales",
    "reliability",
    "finance",
    "community",
    "public_service",
    "education",
    "marketing",
    "product",
    "security",
    "operations",
}


def test_the_library_covers_every_domain_the_issue_names() -> None:
    assert set(DOMAINS) >= REQUIRED


@pytest.mark.parametrize(
    ("text", "context", "domain"),
    [
        ("Run 12 campus recruiting events", "", "hiring"),
        ("Interview 40 candidates for the night shift", "", "hiring"),
        ("Answer every ticket in the support queue", "", "support"),
        ("Make 300 calls to prospects in the pipeline", "", "sales"),
        ("Migrate the booking service to the new cluster", "", "reliability"),
        ("Cut incident response time", "", "reliability"),
        ("Pay supplier invoices on time", "", "finance"),
        ("Organise 10 meetups for volunteers", "", "community"),
        ("Launch the online parking permit form", "", "public_service"),
        ("Publish 20 worksheets for pupils", "", "education"),
        ("Send the newsletter to every subscriber", "", "marketing"),
        ("Ship the dashboard redesign to users", "", "product"),
        ("Run a phishing drill", "", "security"),
        ("Reorganise the warehouse shelving", "", "operations"),
        # the objective's words decide when the item names no domain
        ("Finish the new checklist", "Every order leaves the warehouse the same day", "operations"),
        ("Hold a weekly planning meeting", "", "general"),
    ],
)
def test_the_domain_comes_from_the_words(text: str, context: str, domain: str) -> None:
    assert domain_of(text, context) == domain


def test_a_hiring_item_never_gets_a_customer_support_example() -> None:
    example = worked_example("Run 12 campus recruiting events for graduate engineers")
    assert example.domain == "hiring"
    assert "ticket" not in example.outcome.lower() and "customer" not in example.outcome.lower()


def test_customer_onboarding_is_not_read_as_hiring() -> None:
    # "onboarding" is what product teams do for customers as often as what HR does for new
    # hires: the people the item names decide, and customers are not candidates.
    domain = domain_of(
        "Share of customers who act after the six onboarding webinars rises from 20% to 35%",
        "Turn onboarding into the reason customers renew",
    )
    assert domain in {"product", "sales"}
    assert domain_of("Interview and hire 12 new nurses before winter", "") == "hiring"


def _sentences(e: WorkedExample) -> list[str]:
    return [e.task, e.outcome, e.objective, *e.key_results]


@pytest.mark.parametrize("domain", [*sorted(DOMAINS), "general"])
def test_every_example_is_complete_plain_english(domain: str) -> None:
    example = DOMAINS.get(domain, GENERAL)
    assert len(example.key_results) >= 3
    for sentence in _sentences(example):
        assert sentence[:1].isupper()
        assert not re.search(r"_|<|>|\bX%|TBD|\?\?", sentence)
        assert not re.search(r"\b(\w+) \1\b", sentence, re.IGNORECASE)
        assert len(sentence) <= 120


@pytest.mark.with_model
@pytest.mark.parametrize("domain", [*sorted(DOMAINS), "general"])
def test_every_outcome_reads_better_than_its_task(domain: str) -> None:
    """The library teaches one move: the task is weaker than the outcome it is rewritten into,
    and the example's key results are not judged bad by the coach itself."""
    example = DOMAINS.get(domain, GENERAL)
    rank = {"good": 0, "weak": 1, "bad": 2}
    task = review_text(example.task, kind="key_result", parent_objective=example.objective)
    outcome = review_text(example.outcome, kind="key_result", parent_objective=example.objective)
    assert rank[outcome.verdict.value] < rank[task.verdict.value]
    for kr in example.key_results:
        assert review_text(kr, kind="key_result", parent_objective=example.objective).verdict != (
            "bad"
        )


def test_example_only_when_there_is_no_rewrite_and_the_finding_is_about_wording() -> None:
    wording = Finding("KR-04-OUTCOME", Severity.BLOCKING, "m", "q", "s")
    assert example_for(wording, "Run 12 recruiting events") is not None
    assert example_for(Finding("KR-04-OUTCOME", Severity.BLOCKING, "m", "q", "s", "R"), "x") is None
    assert example_for(Finding("KR-15-OWNER", Severity.BLOCKING, "m", "q", "s"), "x") is None


@pytest.mark.with_model
def test_a_task_like_key_result_gets_its_domains_example() -> None:
    review = review_key_result(KeyResultDraft(text="Run 12 campus recruiting events"))
    examples = [example_for(f, "Run 12 campus recruiting events") for f in review.findings]
    assert any(e is not None and e.domain == "hiring" for e in examples)


def test_domain_detection_is_linear_in_the_length() -> None:
    import time

    started = time.perf_counter()
    domain_of("recruit " * 5000, "ticket " * 5000)
    assert time.perf_counter() - started < 1.0
