"""The team's own estate brought to a configured state (KR-04 via `evidence.own_work`).

Definition: the organisation's estate is the inanimate things it owns, runs or pays for
(clusters, servers, apps, repos, models, pipelines, laptops, devices, subscriptions, licences,
tables, buildings, vehicles, sites...). A share of that estate put in a configured state ("on
<version>", "enforced", "encrypted", "compliant", "covered"), or a count of it acted on by the
team's own command ("Decommission 40 servers"), is a roll-out: the team's own work, bad.

Shares of events (requests, builds, claims, orders) and of people (customers, staff) are results
and stay good. A time standard per recurring event ("within 24h of a patch release") turns an
estate share into a service level, a result, in line with the conventions' timeliness shares
("90% of P1 tickets answered within 15 minutes"); a calendar deadline ("by Sept 30") does not.
All examples are invented.
"""

from __future__ import annotations

import pytest

from coach.review import review_text

ESTATE_STATE = [
    "100% of production databases on Postgres 16 by end of Q3",
    "All 40 branch routers on firmware 7.2",
    "95% of company laptops encrypted by June 30",
    "Hardware-key sign-in enforced for 100% of admin consoles",
    "80% of tier-1 pipelines running on the new orchestrator",
    "100% of storage buckets configured with default encryption",
    "90% of delivery vans compliant with the new telematics standard",
    "Automated schema test coverage on all finance tables at 100%",
    "Single sign-on enabled for 95% of internal apps",
]
ESTATE_COMMAND = [
    "Decommission 40 legacy servers",
    "Retire 12 unused reporting dashboards",
    "Terminate 15 idle design-tool licences",
    "Upgrade 8 regional clusters to the 1.31 release",
    "Move 30 workloads to the shared platform",
]
# results: shares of events or people, usage by others, time standards, result commands
STAY_GOOD = [
    "99.9% of API requests succeed",
    "95% of builds green on the main branch",
    "98% of laptops compliant within 24h of a patch release",
    "90% of invoices paid within 30 days",
    "85% of customers on the new plan renew",
    "Sell 500 annual subscriptions to agencies",
    "Grow paid subscriptions from 2,000 to 3,200",
]


@pytest.mark.parametrize("text", ESTATE_STATE + ESTATE_COMMAND)
def test_own_estate_is_an_output(text: str) -> None:
    r = review_text(text, kind="key_result")
    rules = [f.rule for f in r.findings]
    assert r.verdict.value == "bad", (text, rules)
    assert "KR-04-OUTCOME" in rules or "KR-21-NO-OUTCOME-EVIDENCE" in rules, (text, rules)
    assert r.fields.outcome is False, text


@pytest.mark.parametrize("text", STAY_GOOD)
def test_events_people_and_service_levels_stay_good(text: str) -> None:
    r = review_text(text, kind="key_result")
    assert r.verdict.value == "good", (text, [f.rule for f in r.findings])
    assert r.fields.outcome is True, text


def test_all_without_a_number_stays_a_binary_state() -> None:
    # "live for all repos" with no count is a state reached once (KR-05), not a counted roll-out
    r = review_text("New deploy tooling is live for all repos", kind="key_result")
    assert r.verdict.value == "weak", [f.rule for f in r.findings]
