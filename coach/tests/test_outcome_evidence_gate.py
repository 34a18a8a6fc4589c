"""KR-21: the allow-list gate. "good" needs positive evidence of a measured result.

Invented examples only (bike-share, invoicing, HR, a food bank, a clinic, an open-source tool);
no text is copied from any dev-set or fresh-set file.
"""

from __future__ import annotations

import pytest

from coach import KeyResultDraft, review_key_result
from coach.rules import key_results as krr

GATE = "KR-21-NO-OUTCOME-EVIDENCE"


def kr(text: str) -> tuple[str, tuple[str, ...]]:
    r = review_key_result(KeyResultDraft(text=text))
    return r.verdict.value, r.rules()


# --- a command of the team's with no result in its object is an output (blocking) -------------


@pytest.mark.parametrize(
    "text",
    [
        "Tidy up 300 stale dock records in the asset register",  # unlisted verb, own records
        "Wrap up the payroll vendor switchover",
        "Retire 40 unused bike docks in the harbour district",
        "Polish and relaunch 12 help-centre pages",  # coordinated commands
        "Goal 2.4: Sweep 1,500 storm drains before the rainy season",  # a label prefix
    ],
)
def test_team_command_without_result_cannot_be_good(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict != "good", (text, rules)


def test_gate_blocks_a_command_whose_object_names_no_result() -> None:
    verdict, rules = kr("Tidy up 300 stale dock records in the asset register")
    assert verdict == "bad" and (GATE in rules or "KR-04-OUTCOME" in rules), rules


# --- a statement with no recognisable result is at most weak ------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Dock maps refreshed for 6 neighbourhoods",  # own work reported as done
        "12 playbook chapters in the wiki by June",  # a count of the team's own artifacts
    ],
)
def test_no_result_named_is_not_good(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict != "good", (text, rules)


# --- the gate does not fire on measured results ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Median time to send a first invoice from 9 to 4 minutes",  # a time measure
        "Riders who rent again within 7 days rise from 31% to 45%",  # share of others
        "1,500 new paying members by 30 September",  # a count of people (baseline zero)
        "95% of pantry orders packed within 2 hours of the request",  # a service level
        "Zero needle-stick injuries on the night shift",  # a zero target on harm
        "Fewer than 3 docks out of service at any time",  # a limit on a state
        "Payroll corrections per 1,000 payslips from 14 to 3",  # a reduction
        "Grow net revenue retention to 112%",  # a result verb and a measure
        "Deliver 99.95% availability for the booking API",  # the object is the measure
        "Bring average days to reimburse down to 4",  # a level moved to
        "Invoice disputes older than 60 days under 25",  # the state of a backlog
        "Ensure that 90% of returned bikes are re-docked within 30 minutes",
        "Expand paid seats from 900 to 1,400",  # a change verb with both ends
    ],
)
def test_gate_passes_measured_results(text: str) -> None:
    verdict, rules = kr(text)
    assert GATE not in rules, (text, rules)
    assert verdict == "good", (text, rules)


def test_service_level_in_command_form_is_evidence() -> None:
    f = krr.analyse_kr("Issue 90% of parking permits within 10 working days")
    assert f.evidence is not None and f.result_clause


def test_result_needs_a_level() -> None:
    f = krr.analyse_kr("Dock availability at peak hours")
    assert f.evidence is not None  # a measure is named, but no level: KR-02/KR-19 or KR-21


def test_gate_finding_carries_coaching() -> None:
    r = review_key_result(KeyResultDraft(text="Tidy up 300 stale dock records"))
    gate = [f for f in r.findings if f.rule in {GATE, "KR-04-OUTCOME"}]
    assert gate and all(f.question and f.suggestion for f in gate)
    assert r.fields.outcome is False or any(f.rule == GATE for f in gate)
