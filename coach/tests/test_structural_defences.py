"""Structural defences and weak-class flaws added after the fresh-set study.

Each behaviour has a fires case and a does-not-fire case. Invented examples only (bike-share,
invoicing, HR, clinics), none copied from any dev-set file.
"""

from __future__ import annotations

import pytest

from coach import KeyResultDraft, ObjectiveDraft, review_key_result, review_objective


def kr(text: str) -> tuple[str, tuple[str, ...]]:
    r = review_key_result(KeyResultDraft(text=text))
    return r.verdict.value, r.rules()


def kr_fields(text: str) -> dict[str, bool]:
    return review_key_result(KeyResultDraft(text=text)).fields.to_dict()


def obj(text: str) -> tuple[str, tuple[str, ...]]:
    r = review_objective(ObjectiveDraft(text=text))
    return r.verdict.value, r.rules()


# --- (1) outputs whatever the verb ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Sign data-sharing agreements with 6 bike-share operators",  # a getting verb + artifact
        "Get 9 billing epics to done",  # own work items brought to a completion state
        "Close out 250 backlog tickets in the invoicing squad",  # particle before the count
        "Draft a dunning escalation policy and get approval from finance",  # metric as modifier
        "Expand to 5 new boroughs",  # a roll-out to places
        "2,500 riders receive a free helmet",  # a service count from the receiving end
    ],
)
def test_own_work_on_artifacts_is_an_output(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict == "bad" and "KR-04-OUTCOME" in rules, (text, rules)


@pytest.mark.parametrize(
    "text",
    [
        "Sign 40 new accounting firms",  # people, not artifacts
        "Sell 3,000 season passes",  # selling is others' decision
        "Get 25 depots to break-even",  # a result state, not a completion state
        "Fewer than 4 duplicate invoices per 1,000 sent",  # an upper bound is a limit
        "< 3 failed payroll runs per quarter",
        "85% of members receive their card within 5 days",  # a share: a service level
        "Grow to 400 paying agencies",
        "Every refund request answered promptly",  # vague service level, not a count
    ],
)
def test_results_and_limits_are_not_outputs(text: str) -> None:
    _, rules = kr(text)
    assert "KR-04-OUTCOME" not in rules, (text, rules)


def test_leading_adjective_before_a_subject_and_verb_is_not_a_command() -> None:
    verdict, rules = kr("Open bike data dashboard visits reach 20,000")
    assert "KR-04-OUTCOME" not in rules and verdict == "weak"
    assert "KR-04-OUTCOME" in kr("Open 4 repair hubs")[1]


# --- (2) weak flaws ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Dock availability improves by 6 points",  # change by N, verb mid-sentence
        "By year end, payroll query resolution time cut by 2 days",
    ],
)
def test_relative_change_anywhere_needs_a_base(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict == "weak" and "KR-03-BASELINE" in rules, (text, rules)


def test_relative_change_with_a_reference_period_is_fine() -> None:
    assert kr("Dock availability improves by 6 points vs Q2")[0] == "good"


@pytest.mark.parametrize(
    "text",
    [
        "Invoice dispute count reduced",
        "Member churn improves",
        "time-to-hire for nurses is shortened",  # hyphenated metric compound
        "Refund cycle for sub-$50 orders shortened",  # the number only draws the scope
    ],
)
def test_direction_without_level_is_weak_not_bad(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict == "weak" and "KR-19-DIRECTION-ONLY" in rules, (text, rules)
    assert "KR-02-TARGET" not in rules


def test_a_metric_with_no_direction_and_no_level_still_needs_a_target() -> None:
    assert "KR-02-TARGET" in kr("Invoice dispute count")[1]


def test_arrow_gives_a_baseline_and_feeds_ambition() -> None:
    assert kr_fields("Dock uptime 97% → 99.5%")["has_baseline"]
    verdict, rules = kr("First-contact resolution 71% → 72%")
    assert verdict == "weak" and "KR-13-AMBITION" in rules
    assert kr("Median payout time 6 days -> 2 days")[0] == "good"


@pytest.mark.parametrize(
    "text",
    ["Payroll backlog stays healthy", "Rider complaints mostly closed by day 2 of the month"],
)
def test_vague_levels_are_weak(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict == "weak" and "KR-06-VAGUE" in rules, (text, rules)


def test_a_number_beside_the_vague_word_still_counts() -> None:
    assert "KR-06-VAGUE" not in kr("Payroll backlog stays under 40 items")[1]


@pytest.mark.parametrize(
    "text",
    [
        "Podcast bonus episodes average 8k listens",
        "Container image pulls pass 2M",
        "TikTok engagement rate to 6%",  # a social platform's engagement, even as a rate
        "Newsletter downloads reach 3k per issue",
    ],
)
def test_reach_metrics_are_vanity(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict == "weak" and "KR-11-VANITY" in rules, (text, rules)


@pytest.mark.parametrize(
    "text",
    [
        "Zero sev-1 defects reach customers this quarter",  # "reach" as a verb
        "Traffic injuries near docks fall from 40 to 25 per year",  # "traffic" as a modifier
        "TikTok trial sign-ups who convert to paid from 2% to 4%",
    ],
)
def test_not_vanity(text: str) -> None:
    assert "KR-11-VANITY" not in kr(text)[1], text


def test_adherence_to_values_is_undefined() -> None:
    verdict, rules = kr("100% of managers embody our company values")
    assert verdict == "weak" and "KR-10-DEFINED" in rules


def test_perceived_as_is_subjective() -> None:
    verdict, rules = kr("Payroll team is viewed as reliable by line managers")
    assert verdict == "weak" and "KR-10-DEFINED" in rules


@pytest.mark.parametrize(
    "text",
    [
        "Operating licence granted for the east depot",
        "Online booking available in every branch",
        "Depot is connected to the city charging grid",
    ],
)
def test_states_reached_once_are_binary(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict == "weak" and "KR-05-BINARY" in rules, (text, rules)


def test_with_a_second_number_is_compound() -> None:
    verdict, rules = kr("120 new riders enrolled in the winter plan with a 70% renewal rate")
    assert verdict == "weak" and "KR-07-SINGLE" in rules
    assert "KR-07-SINGLE" not in kr("Cost per ride from $1.90 to $1.40 with wait times flat")[1]


def test_placeholder_after_colon_or_before_unit() -> None:
    for text in ("Energy per dock: X kWh", "Payout delay down to N days"):
        verdict, rules = kr(text)
        assert verdict == "weak" and "KR-20-PLACEHOLDER-TARGET" in rules, (text, rules)


def test_single_word_and_abstract_qualities_are_not_measures() -> None:
    for text in ("Shrink", "Strengthen onboarding hygiene", "Improve release discipline"):
        verdict, rules = kr(text)
        assert verdict == "bad" and "KR-01-METRIC" in rules, (text, rules)
    assert kr("Improve invoice accuracy")[0] == "weak"  # accuracy has a scale


# --- (3) objectives ----------------------------------------------------------------------------


def test_nines_are_a_metric_in_an_objective() -> None:
    verdict, rules = obj("Three nines for the payout API")
    assert verdict == "bad" and "OBJ-09-IS-A-METRIC" in rules


@pytest.mark.parametrize(
    "text",
    [
        "Quicker payouts and a more reliable app",  # two comparative aims
        "Be the insurer of choice for cyclists",  # positioning cliche
        "Empower riders",  # a verb and a generic audience
        "Build a thriving rider community",  # build-framed aim: weak, not a deliverable
    ],
)
def test_weak_objectives(text: str) -> None:
    assert obj(text)[0] == "weak", (text, obj(text))


@pytest.mark.parametrize(
    "text",
    ["Adopt the new HRIS across all offices", "Rehost the payroll database onto the new cluster"],
)
def test_projects_on_systems_are_bad_objectives(text: str) -> None:
    verdict, rules = obj(text)
    assert verdict == "bad" and "OBJ-10-IS-A-DELIVERABLE" in rules, (text, rules)


@pytest.mark.parametrize(
    "text",
    [
        "Adopt a rider-first mindset",
        "Faster payouts for freelancers",
        "Riders find a working bike within a short walk",
    ],
)
def test_good_objectives_stay_good(text: str) -> None:
    assert obj(text)[0] == "good", (text, obj(text))
