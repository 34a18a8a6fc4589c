"""Two false-alarm causes on objectives, with invented examples on both sides.

1. A work verb whose object carries a relative clause that states a changed state or what people
   do, feel or no longer have to do ("Plan shifts where nurses can ...") is outcome framing; a
   relative clause that only lists the artifact's features ("a report that lists ...") is still
   a deliverable.
2. A clock time ("at 7 a.m.", "by 17:30", "24/7") names when, not a metric or a target; a real
   number in an objective still makes it a metric.
"""

from __future__ import annotations

import pytest

from coach import ObjectiveDraft, review_objective

DELIVERABLE = {"OBJ-04-NOT-DELIVERABLE", "OBJ-10-IS-A-DELIVERABLE"}
METRIC = {"OBJ-01-QUALITATIVE", "OBJ-09-IS-A-METRIC"}


def rules_for(text: str) -> set[str]:
    return set(review_objective(ObjectiveDraft(text=text)).rules())


OUTCOME_RELATIVE_CLAUSES = [
    "Design a returns flow that shoppers never have to call us about",
    "Build a payroll run that nobody has to double-check",
    "Create onboarding that new hires actually want to finish",
    "Plan ward rotas where nurses can take a proper break",
    "Build a bike-share network that riders rely on in winter",
    "Organise a release process that holds up under pressure",
    "Run a depot that wastes less and recycles more each month",
    "Write invoices that clients pay without chasing",
]


@pytest.mark.parametrize("text", OUTCOME_RELATIVE_CLAUSES)
def test_outcome_relative_clause_is_not_a_deliverable(text: str) -> None:
    found = rules_for(text)
    assert not (found & DELIVERABLE), found
    assert review_objective(ObjectiveDraft(text=text)).fields.outcome


FEATURE_OR_BARE_DELIVERABLES = [
    "Build a reporting dashboard that shows overdue invoices",
    "Create a report that lists open tickets",
    "Implement a CRM which tracks leads",
    "Build a tool that can export timesheets to CSV",
    "Write a handbook that covers every leave policy",
    "Build a new dispatch engine",
    "Plan the autumn volunteer offsite",
]


@pytest.mark.parametrize("text", FEATURE_OR_BARE_DELIVERABLES)
def test_feature_clause_or_bare_artifact_stays_a_deliverable(text: str) -> None:
    review = review_objective(ObjectiveDraft(text=text))
    assert {"OBJ-04-NOT-DELIVERABLE", "OBJ-10-IS-A-DELIVERABLE"} <= set(review.rules())
    assert review.verdict == "bad"
    assert not review.fields.outcome


def test_launch_with_an_outcome_clause_is_still_launch_framed() -> None:
    found = rules_for("Launch a help centre where tenants find answers themselves")
    assert "OBJ-04-NOT-DELIVERABLE" in found


CLOCK_TIMES = [
    "Make the night bus something shift workers trust at 2 a.m.",
    "Make the clinic phone line answerable by a person until 8pm",
    "Have every store ready for shoppers by 9:30",
    "Give riders help they can reach 24/7",
    "Make the morning stand-up at 9 o'clock worth attending for engineers",
]


@pytest.mark.parametrize("text", CLOCK_TIMES)
def test_clock_time_is_not_a_metric(text: str) -> None:
    review = review_objective(ObjectiveDraft(text=text))
    assert not (set(review.rules()) & METRIC), review.rules()
    assert not review.fields.measurable


REAL_NUMBERS = [
    "Cut depot fuel spend from $40k to $30k a month",
    "Answer 95% of tenant calls at the first attempt",
    "Run 12 customer workshops",
    "Grow paid seats to 15,000 by 30 September",
    "Get 8 of 10 drivers to finish their route on time",
]


@pytest.mark.parametrize("text", REAL_NUMBERS)
def test_real_numbers_still_make_a_metric(text: str) -> None:
    found = rules_for(text)
    assert found >= METRIC, found
