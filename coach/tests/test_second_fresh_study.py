"""Causes found in the second fresh-set study, each with invented variants (fires / does not fire).

Invented examples only (libraries, clinics, bike-share, invoicing, open-source tooling); no text
is copied from any dev-set or fresh-set file.
"""

from __future__ import annotations

import pytest

from coach import KeyResultDraft, ObjectiveDraft, review_key_result, review_objective


def kr(text: str) -> tuple[str, tuple[str, ...]]:
    r = review_key_result(KeyResultDraft(text=text))
    return r.verdict.value, r.rules()


def obj(text: str) -> tuple[str, tuple[str, ...]]:
    r = review_objective(ObjectiveDraft(text=text))
    return r.verdict.value, r.rules()


# --- (1) a command whose only number counts where the team acts is an output ------------------


@pytest.mark.parametrize(
    "text",
    [
        "Extend the evening meal service to 4 more shelters",
        "Take the reading buddies programme to 5 rural libraries",
        "Go live with online booking at 3 branches",
        "We will go live on the new payroll system at 2 sites",
        "Onboard Northwind and two more pilot clinics to the referral portal",
        "Onboarding 40 new clinics",
    ],
)
def test_command_without_a_measured_result_is_an_output(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict == "bad" and "KR-04-OUTCOME" in rules, (text, rules)


@pytest.mark.parametrize(
    "text",
    [
        "Grow to 250 paying practices",  # the level of a count
        "Expand gross margin to 41%",  # a result with a share
        "Sign 12 new district contracts",  # others decide
        "Welcome 300 new library members",
        "Onboarding completion rate above 80%",  # a gerund naming the metric's subject
        "Testing coverage above 85% on the billing service",
    ],
)
def test_results_are_not_bare_commands(text: str) -> None:
    _, rules = kr(text)
    assert "KR-04-OUTCOME" not in rules, (text, rules)


# --- (2) the team's own writing stays an output when it has a deadline -------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Case notes written within 24 hours for 95% of home visits",
        "Recordings posted within 1 day for 100% of town halls",
        "Runbooks written for 90% of paging alerts within 10 days",
    ],
)
def test_authored_artifacts_with_a_deadline_are_outputs(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict == "bad" and "KR-04-OUTCOME" in rules, (text, rules)


@pytest.mark.parametrize(
    "text",
    [
        "90% of refund tickets answered within 15 minutes",
        "Bugs fixed within 7 days for 90% of P1 reports",
        "95% of repair requests resolved within 2 days",
    ],
)
def test_service_levels_with_a_deadline_stay_outcomes(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict == "good" and "KR-04-OUTCOME" not in rules, (text, rules)


# --- (3) reach on chat communities and star glyphs --------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "\u2b50 9k on GitHub before the 2.0 launch",
        "\u2605 2,000 on the Codeberg repo",
        "GitHub \u2b50 passes 8k",
        "Discord server members reach 3,000",
        "Slack community membership grows to 1,200",
        "Zulip joins pass 900 this quarter",
    ],
)
def test_chat_room_and_star_reach_is_vanity(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict == "weak" and "KR-11-VANITY" in rules, (text, rules)


@pytest.mark.parametrize(
    "text",
    [
        "Skills matrix coverage above 90% of roles",
        "Paid members who renew rise from 60% to 75%",
        "Weekly active contributors from 140 to 220",
    ],
)
def test_value_metrics_are_not_vanity(text: str) -> None:
    _, rules = kr(text)
    assert "KR-11-VANITY" not in rules, (text, rules)


# --- (4) a measurement window or today's value is not a second measure -------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Uptime \u2265 99.9% over a trailing 90 days",
        "Voluntary attrition under 9% (rolling 12 months)",
        "Checkout p95 at 900 ms currently; target 400 ms",
        "Median dispatch time 1h 20 min today, target under 30 min",
        "Ticket backlog age 3h10m today, target under 1h",
    ],
)
def test_windows_and_todays_value_are_one_measure(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict == "good" and "KR-07-SINGLE" not in rules, (text, rules)


@pytest.mark.parametrize(
    "text",
    [
        "Churn under 2% and NPS above 45",
        "NPS above 50 while monthly churn stays under 2%",
        "Lift repeat purchase rate and cut returns to 8%",
        "Grow paid seats to 4,000 and retain 95% of logos",
        "Raise donor retention, grow monthly givers, and cut cost per pound raised to 12p",
    ],
)
def test_coordinated_measures_are_compound(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict == "weak" and "KR-07-SINGLE" in rules, (text, rules)


@pytest.mark.parametrize(
    "text",
    [
        "Reduce and stabilise p95 latency to 300 ms",
        "95% of deploys complete without a manual step",
    ],
)
def test_one_measure_with_two_verbs_is_not_compound(text: str) -> None:
    _, rules = kr(text)
    assert "KR-07-SINGLE" not in rules, (text, rules)


# --- (5) a threshold on a ratio written as a multiple needs no baseline -------------------------


@pytest.mark.parametrize(
    "text",
    [
        "LTV:CAC above 3x for the SMB segment",
        "Debt-to-EBITDA below 2.5x at year end",
        "Pipeline coverage at least 4x for next quarter",
    ],
)
def test_multiple_thresholds_need_no_baseline(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict == "good" and "KR-03-BASELINE" not in rules, (text, rules)


def test_a_relative_multiple_still_needs_a_baseline() -> None:
    assert "KR-03-BASELINE" in kr("Grow pipeline at least 3x")[1]


# --- (6) milestones won from others are binary, not missing metrics -----------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Win the county transit contract",
        "Pass the annual PCI audit",
        "Secure a three-year grant from the city arts fund",
        "Payments API GA for EU merchants",
        "Offline mode available on day one of the season",
    ],
)
def test_won_or_released_states_are_binary(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict == "weak" and "KR-05-BINARY" in rules, (text, rules)


def test_applying_for_grants_is_still_an_output() -> None:
    assert "KR-04-OUTCOME" in kr("Apply for 5 foundation grants")[1]


# --- (7) opinions of others with no instrument are undefined, not outputs ----------------------


@pytest.mark.parametrize(
    "text",
    [
        "Partners see the support team as responsive",
        "Teachers view the new portal as useful",
        "Members regard the newsletter as essential",
        "Volunteers feel heard",
        "Visitors feel welcome at every branch",
    ],
)
def test_opinions_without_an_instrument_are_weak(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict == "weak" and "KR-10-DEFINED" in rules, (text, rules)
    assert "KR-04-OUTCOME" not in rules


def test_an_opinion_from_a_named_survey_is_defined() -> None:
    _, rules = kr("80% of members rate the newsletter as useful in the annual survey")
    assert "KR-10-DEFINED" not in rules


# --- (8) a placeholder on a named metric is a placeholder target, not a question ----------------


@pytest.mark.parametrize(
    "text",
    [
        "Activation rate for the mobile app: ??",
        "Repeat booking rate ??",
        "Time to first invoice (median): ???",
    ],
)
def test_question_marks_as_placeholder_are_weak(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict == "weak" and "KR-20-PLACEHOLDER-TARGET" in rules, (text, rules)


def test_a_real_question_is_still_bad() -> None:
    assert kr("Which depots should we prioritise?")[0] == "bad"


# --- (9) slogans of qualities name no metric -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Cheaper, friendlier repairs", "Quicker and more accurate quotes", "Faster, smoother refunds"],
)
def test_slogans_of_qualities_are_bad(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict == "bad" and "KR-01-METRIC" in rules, (text, rules)


@pytest.mark.parametrize(
    "text", ["Shorter waits at the pharmacy", "Trim support cost per ticket", "Deploy more often"]
)
def test_a_direction_on_a_dimension_is_weak(text: str) -> None:
    assert kr(text)[0] == "weak", text


# --- (10) objectives ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["Deploys feel boring", "Invoices are never a surprise", "Builds stay green"]
)
def test_a_plural_subject_in_a_state_is_not_a_deliverable(text: str) -> None:
    _, rules = obj(text)
    assert "OBJ-10-IS-A-DELIVERABLE" not in rules and "OBJ-04-NOT-DELIVERABLE" not in rules


def test_a_release_command_is_still_a_deliverable() -> None:
    assert obj("Release the new rider app")[0] == "bad"


@pytest.mark.parametrize(
    "text",
    ["Process incoming benefit claims", "Answer customer emails", "Respond to citizen enquiries"],
)
def test_working_a_queue_is_pure_bau(text: str) -> None:
    verdict, rules = obj(text)
    assert verdict == "bad" and "OBJ-14-PURE-BAU" in rules, (text, rules)


def test_a_service_level_on_the_queue_is_not_pure_bau() -> None:
    assert "OBJ-14-PURE-BAU" not in obj("Answer every enquiry within a day")[1]


@pytest.mark.parametrize(
    "text",
    [
        "Optimise the warehouse",
        "Be a cloud-first council",
        "Strengthen donor relationships",
        "Increase employee engagement",
        "Be fearless",
    ],
)
def test_short_generic_objectives_are_weak(text: str) -> None:
    verdict, rules = obj(text)
    assert verdict == "weak" and "OBJ-15-SPECIFIC" in rules, (text, rules)


@pytest.mark.parametrize(
    "text",
    [
        "Become the default booking tool for rural vets",
        "Grow a thriving volunteer community",
        "Patients get seen the week they call",
    ],
)
def test_specific_objectives_stay_good(text: str) -> None:
    assert obj(text)[0] == "good", text


@pytest.mark.parametrize(
    "text",
    [
        "Speed up checkout, and cut refund errors",
        "Make onboarding faster, and halve support tickets",
        "Make the rider app simpler and calmer, and grow weekend use",
    ],
)
def test_a_comma_and_second_aim_is_two_themes(text: str) -> None:
    assert "OBJ-05-SINGLE-THEME" in obj(text)[1], text


# --- (11) the team's own system carried to its own sites is an output --------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Bring the new intake form to 5 clinics",
        "Get the new POS into 25 stores",
        "Take the new payroll tool live across all 4 regions",
        "3 clinics live on the new EHR",
        "Six branches now live on the new till",
        "New CRM rolled out to 100% of sales reps",
        "Hotline stood up in 3 counties",
    ],
)
def test_rollouts_to_own_sites_are_outputs(text: str) -> None:
    verdict, rules = kr(text)
    assert verdict == "bad" and "KR-04-OUTCOME" in rules, (text, rules)


@pytest.mark.parametrize(
    "text",
    [
        "Get 40 depots to break-even",
        "Bring 500 families into stable housing",
        "Get the new POS into 25 stores lifting basket size to $31",
        "500 accounts use the team-chat integration weekly",
    ],
)
def test_results_at_sites_are_not_rollouts(text: str) -> None:
    _, rules = kr(text)
    assert "KR-04-OUTCOME" not in rules, (text, rules)
