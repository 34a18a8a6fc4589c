"""One table per rule id: drafts that must fire it and drafts that must stay quiet (the rules on
their own; the model is measured by test_quality_floor.py). All examples invented."""

from __future__ import annotations

from datetime import date

import pytest

from coach import KeyResultDraft, ObjectiveDraft, review_key_result, review_objective
from coach.catalogue import CATALOGUE

KR_TABLE: dict[str, tuple[list[str], list[str]]] = {
    "KR-01-METRIC": (
        ["Make the tenant portal friendlier"],
        ["Tenant repair requests closed within 5 days rise from 61% to 80%"],
    ),
    "KR-04-OUTCOME": (
        ["Publish a handbook for new ward volunteers", "Hold 8 drop-in sessions for tenants"],
        ["Volunteers still active after 90 days rise from 48% to 65%"],
    ),
    "KR-05-BINARY": (
        ["The harbour dredging permit is approved by the port authority"],
        ["Ferry departures within 3 minutes of schedule rise from 82% to 95%"],
    ),
    "KR-07-SINGLE": (
        ["Churn below 2% and NPS above 45 and 300 new library members"],
        ["Monthly churn of paid seats falls from 3.1% to 2.0%"],
    ),
    "KR-08-PLACEHOLDER": (["TBD"], ["Grow paid clinic seats from 1,200 to 1,650"]),
    "KR-20-PLACEHOLDER-TARGET": (
        ["Grow paid clinic seats by X%"],
        ["Grow paid clinic seats from 1,200 to 1,650"],
    ),
    "KR-10-DEFINED": (
        ["Volunteers feel at home"],
        ["72% of volunteers say they feel at home in the quarterly pulse survey (from 58%)"],
    ),
    "KR-09-RELATIVE": (
        ["Improve first-visit resolution at the help desk by 10%"],
        ["First-visit resolution at the help desk from 62% to 70%"],
    ),
    "KR-19-DIRECTION-ONLY": (
        ["Increase repeat bookings at the climbing gym"],
        ["Repeat bookings at the climbing gym rise from 30% to 42%"],
    ),
}
OBJ_TABLE: dict[str, tuple[list[str], list[str]]] = {
    "OBJ-03-NOT-BAU": (
        ["Maintain ferry timetable accuracy"],
        ["Make the ferry the easy way to get to work"],
    ),
    "OBJ-05-SINGLE-THEME": (
        ["Grow membership, hire faster and refresh the brand"],
        ["Make joining the choir feel effortless"],
    ),
    "OBJ-09-IS-A-METRIC": (["Increase MRR 25%"], ["Become the booking tool small gyms rely on"]),
    "OBJ-12-NOT-AN-OBJECTIVE": (["Podcast"], ["Listeners come back for every new episode"]),
    "OBJ-13-META": (["Support the VP's Q3 OKRs"], ["Patients see a nurse on the day they call"]),
}
STRUCTURED: list[tuple[str, KeyResultDraft, KeyResultDraft]] = [
    (
        "KR-15-OWNER",
        KeyResultDraft(text="Overdue invoices from 14% to 8%", owners=("Sales", "Marketing")),
        KeyResultDraft(text="Overdue invoices from 14% to 8%", owners=("Ines",)),
    ),
    (
        "KR-14-TIMEBOX",
        KeyResultDraft(
            text="Library visits per resident from 3 to 4 by Q2 2028",
            cycle_start=date(2027, 1, 1),
            cycle_end=date(2027, 3, 31),
        ),
        KeyResultDraft(
            text="Library visits per resident from 3 to 4 by the end of March",
            cycle_start=date(2027, 1, 1),
            cycle_end=date(2027, 3, 31),
        ),
    ),
]


def _kr_rules(text: str) -> tuple[str, ...]:
    return review_key_result(KeyResultDraft(text=text)).rules()


def _obj_rules(text: str) -> tuple[str, ...]:
    return review_objective(ObjectiveDraft(text=text)).rules()


@pytest.mark.parametrize(
    ("rule", "text"), [(r, t) for r, (fires, _) in KR_TABLE.items() for t in fires]
)
def test_key_result_rule_fires(rule: str, text: str) -> None:
    assert rule in _kr_rules(text)


@pytest.mark.parametrize(
    ("rule", "text"), [(r, t) for r, (_, quiet) in KR_TABLE.items() for t in quiet]
)
def test_key_result_rule_stays_quiet(rule: str, text: str) -> None:
    assert rule not in _kr_rules(text)


@pytest.mark.parametrize(
    ("rule", "text"), [(r, t) for r, (fires, _) in OBJ_TABLE.items() for t in fires]
)
def test_objective_rule_fires(rule: str, text: str) -> None:
    assert rule in _obj_rules(text)


@pytest.mark.parametrize(
    ("rule", "text"), [(r, t) for r, (_, quiet) in OBJ_TABLE.items() for t in quiet]
)
def test_objective_rule_stays_quiet(rule: str, text: str) -> None:
    assert rule not in _obj_rules(text)


@pytest.mark.parametrize(("rule", "fires", "quiet"), STRUCTURED)
def test_structured_field_rules(rule: str, fires: KeyResultDraft, quiet: KeyResultDraft) -> None:
    assert rule in review_key_result(fires).rules()
    assert rule not in review_key_result(quiet).rules()


def test_every_table_names_a_catalogued_rule() -> None:
    for rule in [*KR_TABLE, *OBJ_TABLE, *(r for r, _, _ in STRUCTURED)]:
        assert rule in CATALOGUE
