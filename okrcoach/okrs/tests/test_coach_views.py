"""The coach panel's endpoints: review as you type, apply a suggestion, dismiss a finding."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World
from okrcoach.core.models import AuditEvent
from okrcoach.okrs.models import CoachDismissal, Cycle, KeyResult, Objective

from .factories import KeyResultFactory, ObjectiveFactory
from .test_pages import client_for, url

HX = {"HTTP_HX_REQUEST": "true"}
TASK = "Run six onboarding webinars for new customers"
OUTCOME = "Share of new customers who complete setup in week one rises from 20% to 45%"


def _objective(world: World, cycle: Cycle) -> Objective:
    return cast(
        Objective,
        ObjectiveFactory(
            cycle=cycle, owner=world.member, title="Make new customers successful in month one"
        ),
    )


def _kr(world: World, cycle: Cycle) -> KeyResult:
    return cast(KeyResult, KeyResultFactory(objective=_objective(world, cycle), title=OUTCOME))


def kr_post(title: str, **extra: str) -> dict[str, str]:
    return {
        "title": title,
        "kr_type": "metric",
        "direction": "increase",
        "unit_kind": "percent",
        "baseline": "",
        "target": "",
        "weight": "1",
        **extra,
    }


def objective_post(title: str, **extra: str) -> dict[str, str]:
    return {
        "title": title,
        "description": "",
        "level": "personal",
        "type": "committed",
        "visibility": "public",
        "status": "draft",
        "weight": "1",
        **extra,
    }


def test_typing_a_task_like_key_result_shows_the_outcome_finding(
    world: World, cycle: Cycle
) -> None:
    objective = _objective(world, cycle)
    response = client_for(world.member).post(
        url(world, "coach_new_key_result_review", objective_id=objective.public_id),
        kr_post(TASK),
        **HX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div class="coach-feedback" data-verdict="bad">')
    assert "KR-04-OUTCOME" in body and "Verdict: Needs work" in body
    assert 'name="coach_apply"' in body and "Share of" in body
    assert response["Vary"] and "HX-Request" in response["Vary"]
    assert not KeyResult.objects.for_org(world.org).exists()


def test_structured_fields_reach_the_coach(world: World, cycle: Cycle) -> None:
    objective = _objective(world, cycle)
    client = client_for(world.member)
    review_url = url(world, "coach_new_key_result_review", objective_id=objective.public_id)
    without = client.post(review_url, kr_post(OUTCOME), **HX).content.decode()
    with_source = client.post(
        review_url,
        kr_post(OUTCOME, baseline="20", target="45", data_source="Product analytics"),
        **HX,
    ).content.decode()
    assert "KR-10-DEFINED" in without
    assert "KR-10-DEFINED" not in with_source
    assert 'data-verdict="good"' in with_source


def test_applying_a_suggestion_returns_the_editor_with_the_new_text(
    world: World, cycle: Cycle
) -> None:
    objective = _objective(world, cycle)
    rewrite = "Share of new customers who finish onboarding rises from _% to _%"
    response = client_for(world.member).post(
        url(world, "coach_new_key_result_review", objective_id=objective.public_id),
        {**kr_post(TASK, data_source="CRM"), "coach_apply": rewrite},
        **HX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<div id="key-result-form"')
    assert f'value="{rewrite}"' in body  # the title input
    assert 'value="CRM"' in body  # the rest of the input is kept
    assert 'id="coach-feedback"' in body and "KR-04-OUTCOME" not in body


def test_applying_without_javascript_renders_the_editor_page(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    response = client_for(world.member).post(
        url(world, "coach_key_result_review", key_result_id=kr.public_id),
        {**kr_post(TASK), "coach_apply": OUTCOME},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Edit key result</h1>" in body and f'value="{OUTCOME}"' in body
    kr.refresh_from_db()
    assert kr.version == 1  # reviewing never saves


def test_saved_key_result_review_uses_its_objective(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    response = client_for(world.member).post(
        url(world, "coach_key_result_review", key_result_id=kr.public_id), kr_post(TASK), **HX
    )
    assert response.status_code == 200
    assert "KR-04-OUTCOME" in response.content.decode()


def test_an_empty_or_malformed_input_is_answered_not_refused(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    client = client_for(world.member)
    review_url = url(world, "coach_key_result_review", key_result_id=kr.public_id)
    empty = client.post(review_url, kr_post(""), **HX)
    assert empty.status_code == 200
    assert "the coach will comment here" in empty.content.decode()
    # A baseline that is not a number yet is left out; the text is still reviewed.
    typing = client.post(review_url, kr_post(TASK, baseline="2o", kr_type="nonsense"), **HX)
    assert typing.status_code == 200
    assert "KR-04-OUTCOME" in typing.content.decode()


def test_objective_review_uses_type_description_and_parent(world: World, cycle: Cycle) -> None:
    objective = _objective(world, cycle)
    client = client_for(world.member)
    response = client.post(
        url(world, "coach_objective_review", objective_id=objective.public_id),
        objective_post("Launch the new rider app"),
        **HX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "OBJ-04-NOT-DELIVERABLE" in body and "OBJ-08-WHY" in body
    with_why = client.post(
        url(world, "coach_objective_review", objective_id=objective.public_id),
        objective_post(
            "Launch the new rider app", description="Why now: riders wait 9 minutes on average"
        ),
        **HX,
    ).content.decode()
    assert "OBJ-08-WHY" not in with_why


def test_new_objective_review_reads_the_cycle_from_the_query(world: World, cycle: Cycle) -> None:
    response = client_for(world.member).post(
        url(world, "coach_new_objective_review") + f"?cycle={cycle.public_id}",
        objective_post("Increase MRR 25%"),
        **HX,
    )
    assert response.status_code == 200
    assert "OBJ-01-QUALITATIVE" in response.content.decode()


# --- dismissals ------------------------------------------------------------------------------


def _dismiss(
    world: World, kr: KeyResult, rule: str, reason: str, client: Client | None = None
) -> Any:
    return (client or client_for(world.member)).post(
        url(world, "coach_key_result_dismiss", key_result_id=kr.public_id),
        {**kr_post(OUTCOME), "coach_rule": rule, f"coach_reason_{rule}": reason},
        **HX,
    )


def test_dismissing_a_finding_records_it_audits_it_and_hides_it(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    response = _dismiss(world, kr, "KR-10-DEFINED", "The number comes from our weekly export.")
    assert response.status_code == 200
    body = response.content.decode()
    assert "KR-10-DEFINED dismissed" in body
    assert 'id="coach-finding-KR-10-DEFINED"' not in body
    assert "1 finding dismissed for this item." in body
    [dismissal] = CoachDismissal.objects.for_org(world.org)
    assert (dismissal.key_result, dismissal.rule, dismissal.member) == (
        kr,
        "KR-10-DEFINED",
        world.member,
    )
    assert dismissal.reason == "The number comes from our weekly export."
    assert dismissal.text == OUTCOME and dismissal.draft_hash == ""
    event = AuditEvent.all_orgs.get(action="okrs.coach.finding_dismissed")
    assert event.organisation_id == world.org.pk and event.data["rule"] == "KR-10-DEFINED"
    # Later reviews of the same key result keep it hidden, whatever the text.
    later = client_for(world.member).post(
        url(world, "coach_key_result_review", key_result_id=kr.public_id),
        kr_post(OUTCOME + " this quarter"),
        **HX,
    )
    assert 'id="coach-finding-KR-10-DEFINED"' not in later.content.decode()


def test_a_draft_dismissal_is_keyed_by_its_text(world: World, cycle: Cycle) -> None:
    objective = _objective(world, cycle)
    client = client_for(world.member)
    dismiss_url = url(world, "coach_new_key_result_dismiss", objective_id=objective.public_id)
    response = client.post(
        dismiss_url,
        {**kr_post(OUTCOME), "coach_rule": "KR-10-DEFINED", "coach_reason_KR-10-DEFINED": "CRM"},
        **HX,
    )
    assert response.status_code == 200
    dismissal = CoachDismissal.objects.for_org(world.org).get()
    assert dismissal.key_result is None and len(dismissal.draft_hash) == 64
    review_url = url(world, "coach_new_key_result_review", objective_id=objective.public_id)
    same = client.post(review_url, kr_post(OUTCOME), **HX).content.decode()
    other = client.post(review_url, kr_post(OUTCOME + " in Q3"), **HX).content.decode()
    assert 'id="coach-finding-KR-10-DEFINED"' not in same
    assert 'id="coach-finding-KR-10-DEFINED"' in other


@pytest.mark.parametrize(
    ("rule", "reason", "error"),
    [
        ("KR-10-DEFINED", "", "This field is required."),
        ("KR-04-OUTCOME", "Not raised for this text", "no longer raises"),
        ("not a rule", "why", "no longer raises"),
    ],
)
def test_a_bad_dismissal_names_the_problem_and_writes_nothing(
    world: World, cycle: Cycle, rule: str, reason: str, error: str
) -> None:
    kr = _kr(world, cycle)
    response = _dismiss(world, kr, rule, reason)
    assert response.status_code == 200
    body = response.content.decode()
    assert error in body or "Enter a valid value." in body
    assert not CoachDismissal.objects.for_org(world.org).exists()
    if not reason:
        assert 'aria-invalid="true"' in body and "coach-reason-KR-10-DEFINED-errors" in body


# --- access ----------------------------------------------------------------------------------

ROUTES = [
    ("coach_key_result_review", "kr"),
    ("coach_key_result_dismiss", "kr"),
    ("coach_new_key_result_review", "objective"),
    ("coach_new_key_result_dismiss", "objective"),
    ("coach_objective_review", "objective"),
    ("coach_objective_dismiss", "objective"),
]


def _route_url(world: World, cycle: Cycle, name: str, target: str) -> str:
    kr = _kr(world, cycle)
    if target == "kr":
        return url(world, name, key_result_id=kr.public_id)
    return url(world, name, objective_id=kr.objective.public_id)


@pytest.mark.parametrize(("name", "target"), ROUTES)
def test_outsiders_get_404(world: World, cycle: Cycle, name: str, target: str) -> None:
    response = client_for(world.outsider).post(
        _route_url(world, cycle, name, target), kr_post(TASK), **HX
    )
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "target"), ROUTES)
def test_members_who_cannot_edit_get_403(
    world: World, cycle: Cycle, name: str, target: str
) -> None:
    response = client_for(world.peer).post(
        _route_url(world, cycle, name, target),
        {**kr_post(OUTCOME), "coach_rule": "KR-10-DEFINED", "coach_reason_KR-10-DEFINED": "x"},
        **HX,
    )
    assert response.status_code == 403
    assert not CoachDismissal.objects.for_org(world.org).exists()


def test_review_refuses_get(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    response = client_for(world.member).get(
        url(world, "coach_key_result_review", key_result_id=kr.public_id)
    )
    assert response.status_code == 405


# --- query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 20])
def test_review_runs_a_constant_number_of_queries(
    world: World, cycle: Cycle, assert_queries, n: int
) -> None:
    kr = _kr(world, cycle)
    for _ in range(n):
        KeyResultFactory(objective=kr.objective)
        CoachDismissal.objects.for_org(world.org).create(
            organisation=world.org,
            kind="key_result",
            key_result=kr,
            rule="KR-12-LOW-VALUE",
            reason="r",
            text="t",
            member=world.member,
        )
    client = client_for(world.member)
    # membership with user (session from the cache), key result (joined), owner choice, dismissals
    with assert_queries(4):
        response = client.post(
            url(world, "coach_key_result_review", key_result_id=kr.public_id),
            kr_post(TASK, owner=str(world.member.pk)),
            **HX,
        )
    assert response.status_code == 200


@pytest.mark.parametrize("n", [2, 20])
def test_dismiss_runs_a_constant_number_of_queries(
    world: World, cycle: Cycle, assert_queries, n: int
) -> None:
    kr = _kr(world, cycle)
    for _ in range(n):
        KeyResultFactory(objective=kr.objective)
    client = client_for(world.member)
    # membership with user (session from the cache), key result, dismissals, savepoint, insert,
    # the row's dismissals and its stored verdict recomputed (select, update), audit row,
    # release, dismissals again (to hide the one just dismissed)
    with assert_queries(10):
        response = _dismiss(world, kr, "KR-10-DEFINED", "from the CRM", client)
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_dismissal_recomputes_the_verdict_and_score_everywhere(
    world: World, cycle: Cycle
) -> None:
    """Panel, stored verdict (badges, set review, coach report) agree after a dismissal: no
    'Weak 69/100' above 'No findings'."""
    kr = _kr(world, cycle)
    client = client_for(world.member)
    body = _dismiss(world, kr, "KR-10-DEFINED", "from the CRM", client).content.decode()
    kr.refresh_from_db()
    assert 'id="coach-finding-KR-10-DEFINED"' not in body
    if "No findings" in body:
        assert 'data-verdict="good"' in body and "Score 100/100" in body
    assert kr.coach_verdict["verdict"] in body.split('data-verdict="')[1].split('"')[0]
    assert "KR-10-DEFINED" not in kr.coach_rules
    url = reverse("okrs:objective_detail", args=[world.org.slug, kr.objective.public_id])
    page = client.get(url).content.decode()
    assert 'id="coach-set"' in page


@pytest.mark.parametrize("n", [1, 12])
def test_the_objective_editor_shows_the_set_review_in_constant_queries(
    world: World, cycle: Cycle, assert_queries, n: int
) -> None:
    objective = _objective(world, cycle)
    for i in range(n):
        KeyResultFactory(objective=objective, title=f"Riders who renew a pass rise to {40 + i}%")
    client = client_for(world.member)
    target = url(world, "coach_objective_review", objective_id=objective.public_id)
    post = objective_post("Make renting a bike take under a minute")
    client.post(target, post, **HX)
    # membership with user (session from the cache), objective, dismissals, the key results of
    # the set review and the count of the team's objectives in the cycle (SET-02)
    with assert_queries(5):
        body = client.post(target, post, **HX).content.decode()
    assert 'id="coach-set"' in body and "Overall verdict" in body
    assert body.count("Riders who renew a pass") == n
