"""The team's own work dressed as a metric (KR-04 via `evidence.own_work`).

Each cause is a definition from the labelling conventions, checked on invented variants (an
invoicing product, a bike-share, clinics, a food bank, an HR team...). Every cause also has true
outcomes next to it that must stay good.
"""

from __future__ import annotations

import pytest

from coach.review import review_text


def kr(text: str) -> tuple[str, list[str]]:
    r = review_text(text, kind="key_result")
    return r.verdict.value, [f.rule for f in r.findings]


def _bad_output(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict == "bad", (text, rules)
    assert "KR-04-OUTCOME" in rules or "KR-21-NO-OUTCOME-EVIDENCE" in rules, (text, rules)
    fields = review_text(text, kind="key_result").fields
    assert fields.outcome is False, text


# "N% of <the team's own things> <done participle>": coverage of its own work, not a result.
OWN_SHARE_DONE = [
    "90% of paper patient charts scanned into the EHR (from 30%)",
    "100% of nightly cron jobs moved to the scheduler by June",
    "75% of branch offices switched to the new phone system",
    "60% of dock sensor firmware images updated to v3",
    "4 of the 6 legacy billing reports rebuilt in the new warehouse by Q3",
    "Convert 80% of legacy report templates to the new engine",
]
# a share of the team's own staff a tool was rolled out to
OWN_STAFF_ROLLOUT = [
    "100% of field technicians moved onto the new scheduling app",
    "90% of support agents migrated to the new helpdesk by May",
    "80% of ward nurses provisioned with handheld scanners",
]
# work verbs on a share of the team's own queue with no time or quality standard
OWN_QUEUE_SHARE = [
    "Patch 100% of critical CVEs older than 60 days",
    "Close 100% of P1 bugs older than 90 days",
    "Triage 100% of open Dependabot alerts",
]
PLAN_COMPLETION = [
    "Hit 90% completion of the H2 roadmap",
    "Roadmap completion at 95% by quarter end",
    "92% delivery of the annual IT workplan",
    "Backlog items delivered: 85% of the Q3 plan",
]
HEADCOUNT = [
    "Support headcount grows from 10 to 16",
    "Grow the data team from 5 to 9 engineers",
    "Engineering FTEs from 40 to 52",
    "Claims team grows to 14 adjusters by October",
]
HANDED_OUT = [
    "Renewal survey sent to all 2,100 active accounts",
    "Release notes emailed to 100% of admins within the quarter",
    "Welcome pack delivered to 500 new members",
    "Winter safety leaflet distributed to 12,000 riders",
]
IN_PLACE = [
    "Fraud alerting in place for 100% of merchants over $10k volume",
    "Incident dashboard available to all 14 squads by Q2",
    "Self-checkout live in 60% of stores",
    "Route-planning tool enabled for 3 of 5 depots",
]
SITES_AND_EVENTS = [
    "Open 4 new pharmacies in the north region",
    "Sign leases and open 2 repair kiosks at the central stations",
    "3 new dock stations opened downtown by September",
    "12 community webinars held by December",
]
DOCUMENTS_AND_MILESTONES = [
    "Pricing model signed off by the CFO before the board meeting",
    "Onboarding playbook finalised and approved by the COO",
    "Data retention policy agreed and written down for all 12 products",
    "Churn analysis for every 2024 customer segment published on the intranet",
    "ERP go-live for the finance team by 1 March",
    "Payroll system cutover complete by end of Q3",
]
TOPIC_LABELS = [
    "Partnerships: submit 6 foundation proposals totalling $800k in asks",
    "Hiring plan: bring 6 engineers on board",
    "Docs: 40 new how-to guides covering the top support questions",
    "Dock hygiene - retire 300 unused dock records",
    "Fleet upgrade: 3 of 4 depots live on the new telematics",
]


@pytest.mark.parametrize(
    "text",
    OWN_SHARE_DONE
    + OWN_STAFF_ROLLOUT
    + OWN_QUEUE_SHARE
    + PLAN_COMPLETION
    + HEADCOUNT
    + HANDED_OUT
    + IN_PLACE
    + SITES_AND_EVENTS
    + DOCUMENTS_AND_MILESTONES
    + TOPIC_LABELS,
)
def test_own_work_is_an_output(text: str) -> None:
    _bad_output(text)


# Results of others, standards of service and states of the world: they stay good.
STAY_GOOD = [
    "85% of claims paid within 10 days",
    "Share of invoices paid on time from 70% to 90%",
    "Customers on the new plan grow from 0 to 400",
    "90% of employees complete the security training",
    "100% of managers attend the inclusive-hiring training",
    "Women in senior roles from 19% to 30%",
    "Checkout available 99.95% of the time",
    "70% of invoices get paid within 30 days",
    "80% of trial accounts converted to paid by day 14",
    "95% of orders shipped within 24 hours",
    "90% of P1 tickets answered within 15 minutes",
    "Volunteers grow from 200 to 350",
    "40 paying customers on the new plan",
    "Reduce open issues older than 1 year from 300 to 50",
    "Support: 90% of chats answered within 2 minutes",
    "Activation: 40% of trial accounts active by day 7",
    "NPS: from 32 to 45",
    "Revenue per head from $180k to $210k",
    "Regretted attrition in the support team below 8%",
    "60% of riders who get the winter leaflet renew their pass (from 45%)",
]


@pytest.mark.parametrize("text", STAY_GOOD)
def test_true_outcomes_stay_good(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict == "good", (text, rules)


@pytest.mark.parametrize(
    "text",
    [
        "Online booking available in every branch",
        "Roadmap published",
        "Grant renewed by the city council",
    ],
)
def test_states_reached_once_stay_binary(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict == "weak" and "KR-05-BINARY" in rules, (text, rules)


def test_a_question_about_a_feeling_is_not_a_key_result() -> None:
    verdict, rules = kr("How do we measure donor trust?")
    assert verdict == "bad" and "KR-01-METRIC" in rules


@pytest.mark.parametrize(
    ("text", "obj"),
    [
        ("Tidy up 300 stale dock records", "the stale dock records are live"),
        ("Clear out 40 abandoned carts in the admin", "the abandoned carts are live"),
        ("Back up 100% of clinic laptops", "the clinic laptops are live"),
        ("Roll out the new till app to 40 stores", "the till app is live"),
    ],
)
def test_output_suggestion_drops_the_particle(text: str, obj: str) -> None:
    r = review_text(text, kind="key_result")
    found = [f for f in r.findings if f.rule == "KR-04-OUTCOME"]
    assert found, text
    s = found[0].suggestion
    assert obj in s, s
    for stray in (" up ", " out ", " 100 %", " to 40 stores"):
        assert f"the{stray}" not in s and f"{stray.strip()} is live" not in s, s
