"""Each key-result rule: invented drafts where it fires and where it stays quiet."""

from __future__ import annotations

from datetime import date

import pytest

from coach import KeyResultDraft, review_key_result
from coach.rules import key_results as krr


def rules_for(text: str, **fields: object) -> tuple[str, ...]:
    return review_key_result(KeyResultDraft(text=text, **fields)).rules()


FIRES = [
    ("KR-01-METRIC", "Make invoicing smoother for accountants", {}),
    ("KR-01-METRIC", "How do we get riders to come back?", {}),
    ("KR-02-TARGET", "Median invoice-send time", {}),
    ("KR-03-BASELINE", "Raise library card renewals 12 points", {}),
    ("KR-04-OUTCOME", "Launch the referral page", {}),
    ("KR-04-OUTCOME", "Hire 4 bike mechanics", {}),
    ("KR-04-OUTCOME", "6 newsletters sent to clinic patients", {}),
    ("KR-05-BINARY", "Dunning emails are live", {}),
    ("KR-05-BINARY", "Dock sensors report occupancy", {"kr_type": "milestone"}),
    ("KR-06-VAGUE", "Most overdue invoices get paid after one reminder", {}),
    ("KR-07-SINGLE", "Churn below 2% and NPS above 45 and 300 new logos", {}),
    ("KR-08-PLACEHOLDER", "TBD", {}),
    ("KR-09-RELATIVE", "Improve first-contact resolution by 10%", {}),
    ("KR-10-DEFINED", "Finance staff feel more proactive", {}),
    ("KR-10-DEFINED", "Dock uptime at least 99.5%", {"data_source": ""}),
    ("KR-11-VANITY", "50k views on the pricing blog post", {}),
    ("KR-12-LOW-VALUE", "Raise build-server CPU utilisation to 80%", {}),
    ("KR-13-AMBITION", "Active bikes per dock from 4.0 to 4.05", {}),
    ("KR-13-AMBITION", "Clinic no-show rate from 20% to 12%", {"confidence": 0.95}),
    ("KR-14-TIMEBOX", "Ride share of commuters reaches 9% by end of next year", {}),
    (
        "KR-14-TIMEBOX",
        "Library visits per resident from 3 to 4 by Q2 2027",
        {"cycle_start": date(2026, 7, 1), "cycle_end": date(2026, 9, 30)},
    ),
    ("KR-15-OWNER", "Overdue invoices from 14% to 8%", {"owners": ("Sales, Marketing",)}),
    ("KR-15-OWNER", "Overdue invoices from 14% to 8%", {"owners": ()}),
    (
        "KR-16-RELEVANCE",
        "Gross margin from 38% to 42%",
        {"parent_objective": "Make onboarding feel effortless for new employees"},
    ),
    ("KR-17-CONTROL", "Company ARR reaches $40M", {"team": "Design"}),
    ("KR-19-DIRECTION-ONLY", "Reduce late returns at the central library", {}),
    ("KR-20-PLACEHOLDER-TARGET", "Grow paid seats by X%", {}),
]

QUIET = [
    ("KR-01-METRIC", "Median time to send a first invoice drops from 9 to 4 minutes", {}),
    ("KR-02-TARGET", "Median invoice-send time at most 4 minutes by 30 Sep", {}),
    ("KR-03-BASELINE", "Raise trial-to-paid conversion from 9% to 14%", {}),
    ("KR-03-BASELINE", "250 new riders take a second trip within 14 days", {}),
    ("KR-04-OUTCOME", "Accountants who finish onboarding within 7 days rise from 35% to 60%", {}),
    ("KR-04-OUTCOME", "Share of clinic bookings made online from 20% to 45%", {}),
    (
        "KR-05-BINARY",
        "Overdue invoices paid within 14 days of the first reminder rise from 48% to 65%",
        {},
    ),
    ("KR-06-VAGUE", "p90 report load time under 2.0 s (from 5.4 s)", {}),
    ("KR-07-SINGLE", "Cost per active customer from $1.90 to $1.40 with latency unchanged", {}),
    ("KR-08-PLACEHOLDER", "Grow paid seats from 12,400 to 15,000", {}),
    ("KR-09-RELATIVE", "First-contact resolution from 62% to 70%", {}),
    ("KR-10-DEFINED", "75% of members rate the library 4 or 5 in the annual survey", {}),
    ("KR-11-VANITY", "Pricing-page visitors who start a trial rise from 3.1% to 4.5%", {}),
    ("KR-12-LOW-VALUE", "Cloud cost per active customer from $1.90 to $1.40", {}),
    ("KR-13-AMBITION", "Active bikes per dock from 4.0 to 5.5", {"confidence": 6}),
    ("KR-13-AMBITION", "Active bikes per dock from 4.0 to 4.05", {"okr_type": "committed"}),
    (
        "KR-14-TIMEBOX",
        "Library visits per resident from 3 to 4 by Q3 2026",
        {"cycle_start": date(2026, 7, 1), "cycle_end": date(2026, 9, 30)},
    ),
    ("KR-15-OWNER", "Overdue invoices from 14% to 8%", {"owners": ("Priya Nair",)}),
    (
        "KR-16-RELEVANCE",
        "Payroll corrections per 1,000 payslips from 14 to 3",
        {"parent_objective": "Make payroll errors disappear"},
    ),
    (
        "KR-17-CONTROL",
        "Invoice-template adoption by new accounts from 20% to 50%",
        {"team": "Design"},
    ),
    ("KR-19-DIRECTION-ONLY", "Late returns at the central library from 11% to 6%", {}),
    ("KR-20-PLACEHOLDER-TARGET", "Grow paid seats from 12,400 to 15,000", {}),
]


@pytest.mark.parametrize(("rule", "text", "fields"), FIRES)
def test_rule_fires_on_a_draft_that_breaks_it(
    rule: str, text: str, fields: dict[str, object]
) -> None:
    assert rule in rules_for(text, **fields)


@pytest.mark.parametrize(("rule", "text", "fields"), QUIET)
def test_rule_stays_quiet_on_a_draft_that_meets_it(
    rule: str, text: str, fields: dict[str, object]
) -> None:
    assert rule not in rules_for(text, **fields)


VERDICTS = [
    ("Launch the referral page", "bad"),
    ("Hire 3 engineers for the bike-repair workshop", "bad"),
    ("Publish quarterly roadmap", "bad"),
    ("Complete migration of 100% of billing services", "bad"),
    ("Ship v2.0 of the invoicing API", "bad"),
    ("Run 12 story-time sessions at branch libraries", "bad"),
    ("Be a better partner to clinics", "bad"),
    ("Increase invoice volume by 20%", "weak"),
    ("Dunning emails are live", "weak"),
    ("Reduce late returns", "weak"),
    ("Grow paid seats by X%", "weak"),
    ("Achieve 99.9% uptime for the dock API", "good"),
    ("Grow ARR to $5M", "good"),
    ("Reduce p95 latency below 300ms", "good"),
    ("NPS > 40", "good"),
    ("10 new contributors make their first PR", "good"),
    ("Zero missed payroll runs this quarter", "good"),
    ("Riders who renew an annual pass from 41% to 55%", "good"),
]


@pytest.mark.parametrize(("text", "verdict"), VERDICTS)
def test_verdict_follows_the_labelling_conventions(text: str, verdict: str) -> None:
    assert review_key_result(KeyResultDraft(text=text)).verdict.value == verdict


def test_a_filled_baseline_field_passes_the_baseline_rule() -> None:
    text = "Raise library card renewals 12 points"
    assert "KR-03-BASELINE" in rules_for(text)
    assert "KR-03-BASELINE" not in rules_for(text, baseline=61)


def test_every_finding_teaches_with_a_question_and_a_suggestion() -> None:
    review = review_key_result(KeyResultDraft(text="Launch the referral page"))
    finding = review.findings[0]
    assert finding.message and finding.question.endswith("?")
    assert "referral page" in finding.suggestion


# (from the former test_outcome_evidence_gate.py) what the parser sees as result evidence


def test_service_level_in_command_form_is_evidence() -> None:
    f = krr.analyse_kr("Issue 90% of parking permits within 10 working days")
    assert f.evidence is not None and f.result_clause


def test_result_needs_a_level() -> None:
    f = krr.analyse_kr("Dock availability at peak hours")
    assert f.evidence is not None  # a measure is named, but no level: KR-02/KR-19 or KR-21
