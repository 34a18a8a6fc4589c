"""The coach's pages: the verdict badge per key result, a key result's coach page, and the
admins' report by verdict and rule."""

from __future__ import annotations

from decimal import Decimal as D
from typing import cast

import pytest

from conftest import World
from okrcoach.okrs.models import CoachDismissal, Cycle, KeyResult, Objective
from okrcoach.okrs.selectors import coach_report
from okrcoach.okrs.services.coach import dismiss_finding, recoach_organisation
from okrcoach.okrs.services.key_results import KeyResultData, create_key_result

from .factories import KeyResultFactory, ObjectiveFactory
from .test_pages import client_for, url

TASK = "Run six onboarding webinars for new customers"
OUTCOME = "Share of new customers who complete setup in week one rises from 20% to 45%"


def _coached(world: World, cycle: Cycle, n: int = 1) -> list[Objective]:
    """n objectives of the member, each with a task-like and an outcome key result, reviewed."""
    made = []
    for _ in range(n):
        o = ObjectiveFactory(cycle=cycle, owner=world.member, title="Launch the new rider app")
        KeyResultFactory(objective=o, title=TASK)
        KeyResultFactory(objective=o, title=OUTCOME, data_source="CRM")
        made.append(o)
    recoach_organisation(world.org)
    return cast(list[Objective], made)


def test_objective_page_shows_each_key_results_verdict_with_a_link(
    world: World, cycle: Cycle
) -> None:
    [objective] = _coached(world, cycle)
    task, _outcome = objective.key_results.order_by("pk")
    body = (
        client_for(world.peer)
        .get(url(world, "objective_detail", objective_id=objective.public_id))
        .content.decode()
    )
    assert "Coach: needs work" in body and "Coach: good" in body
    assert url(world, "coach_key_result", key_result_id=task.public_id) in body


def test_my_okrs_rows_show_the_verdict(world: World, cycle: Cycle) -> None:
    _coached(world, cycle)
    body = client_for(world.member).get(url(world, "my_okrs")).content.decode()
    assert "Coach: needs work" in body


def test_a_key_result_never_reviewed_says_so(world: World, cycle: Cycle) -> None:
    kr = KeyResultFactory(objective=ObjectiveFactory(cycle=cycle, owner=world.member))
    body = (
        client_for(world.member)
        .get(url(world, "objective_detail", objective_id=kr.objective.public_id))
        .content.decode()
    )
    assert "Coach: not reviewed" in body


def test_key_result_coach_page_explains_the_findings(world: World, cycle: Cycle) -> None:
    [objective] = _coached(world, cycle)
    task = objective.key_results.get(title=TASK)
    response = client_for(world.peer).get(
        url(world, "coach_key_result", key_result_id=task.public_id)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "KR-04-OUTCOME" in body and "Ask yourself:" in body and "Try:" in body
    assert "Apply suggestion" not in body and "Dismiss finding" not in body  # read-only
    assert "Edit key result" not in body  # the peer cannot edit it


def test_key_result_coach_page_is_404_for_outsiders(world: World, cycle: Cycle) -> None:
    [objective] = _coached(world, cycle)
    kr = objective.key_results.first()
    response = client_for(world.outsider).get(
        url(world, "coach_key_result", key_result_id=kr.public_id)
    )
    assert response.status_code == 404


@pytest.mark.parametrize("n", [2, 20])
def test_key_result_coach_page_runs_a_constant_number_of_queries(
    world: World, cycle: Cycle, assert_queries, n: int
) -> None:
    [objective] = _coached(world, cycle)
    kr = objective.key_results.get(title=TASK)
    for _ in range(n):
        dismiss_finding(
            actor=world.member, kind="key_result", target=kr, text=TASK, rule="KR-12-X", reason="r"
        )
    client = client_for(world.member)
    # membership with user (session from the cache, no switcher for one organisation), key
    # result (joined), dismissals
    with assert_queries(3):
        assert (
            client.get(url(world, "coach_key_result", key_result_id=kr.public_id)).status_code
            == 200
        )


# --- the admin report ------------------------------------------------------------------------


def test_admin_report_groups_by_verdict_and_counts_rules(world: World, cycle: Cycle) -> None:
    _coached(world, cycle, 2)
    response = client_for(world.admin).get(url(world, "coach_report"))
    assert response.status_code == 200
    body = response.content.decode()
    page = response.context["report"]
    assert page.total == 6
    counts = {v: n for v, _label, n in page.verdict_counts}
    assert counts["bad"] == 2 and counts["good"] == 2 and counts["weak"] == 2
    assert dict(page.rule_counts)["KR-04-OUTCOME"] == 2
    assert dict(page.rule_counts)["OBJ-04-NOT-DELIVERABLE"] == 2
    assert "KR-04-OUTCOME" in body and "6 items" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("verdict=bad", {TASK}),
        ("rule=KR-04-OUTCOME", {TASK}),
        ("kind=key_result&verdict=good", {OUTCOME}),
        ("verdict=none", set()),
        ("rule=NO-SUCH", set()),
    ],
)
def test_admin_report_filters(world: World, cycle: Cycle, query: str, expected: set[str]) -> None:
    _coached(world, cycle, 2)
    response = client_for(world.admin).get(
        url(world, "coach_report") + "?" + query, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="coach-report-list"')
    assert {i.row.title for i in response.context["report"].items} == expected
    assert "HX-Request" in response["Vary"]


def test_admin_report_is_403_for_non_admins_and_404_for_outsiders(
    world: World, cycle: Cycle
) -> None:
    _coached(world, cycle)
    assert client_for(world.manager).get(url(world, "coach_report")).status_code == 403
    assert client_for(world.member).get(url(world, "coach_report")).status_code == 403
    assert client_for(world.outsider).get(url(world, "coach_report")).status_code == 404


def test_admin_report_reads_the_stored_verdicts_after_saves(world: World, cycle: Cycle) -> None:
    objective = ObjectiveFactory(cycle=cycle, owner=world.member, title="Grow our riders")
    create_key_result(
        actor=world.member,
        objective=objective,
        data=KeyResultData(title=TASK, baseline=D(0), target=D(6)),
    )
    page = (
        client_for(world.admin)
        .get(url(world, "coach_report") + "?rule=KR-04-OUTCOME")
        .context["report"]
    )
    assert [i.row.title for i in page.items] == [TASK]


@pytest.mark.parametrize("n", [2, 20])
def test_admin_report_runs_a_constant_number_of_queries(
    world: World, cycle: Cycle, assert_queries, monkeypatch: pytest.MonkeyPatch, n: int
) -> None:
    monkeypatch.setattr(coach_report, "REPORT_PAGE_SIZE", 5)
    _coached(world, cycle, n)
    client = client_for(world.admin)
    # membership with user (session from the cache, no switcher for one organisation), cycles,
    # objectives and key results grouped by verdict and rules, the count and the page of
    # objectives listed (owners joined), their key results (owners joined)
    with assert_queries(7):
        response = client.get(url(world, "coach_report"))
    assert response.status_code == 200
    report = response.context["report"]
    assert report.total == report.shown == 3 * n
    assert len(report.items) == 3 * min(n, 5)  # a page of five objectives, each with two KRs
    assert not CoachDismissal.objects.for_org(world.org).exists()
    assert KeyResult.objects.for_org(world.org).count() == 2 * n


def test_admin_report_pages_the_list_and_keeps_the_filters_in_the_pager(
    world: World, cycle: Cycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(coach_report, "REPORT_PAGE_SIZE", 2)
    _coached(world, cycle, 3)
    client = client_for(world.admin)
    first = client.get(url(world, "coach_report") + "?verdict=bad")
    report = first.context["report"]
    assert report.shown == 3 and [i.row.title for i in report.items] == [TASK, TASK]
    body = first.content.decode()
    assert "3 items" in body and "Page 1 of 2" in body
    assert f"?cycle={cycle.public_id}&amp;verdict=bad&amp;page=2" in body
    second = client.get(url(world, "coach_report") + "?verdict=bad&page=2").context["report"]
    assert [i.row.title for i in second.items] == [TASK]
    assert second.verdict_counts == report.verdict_counts  # the counts cover every page


def test_admin_report_lists_objectives_without_key_results(world: World, cycle: Cycle) -> None:
    ObjectiveFactory(cycle=cycle, owner=world.member, title="Nothing measured yet")
    report = client_for(world.admin).get(url(world, "coach_report")).context["report"]
    assert [i.row.title for i in report.items] == ["Nothing measured yet"]
    unreviewed = client_for(world.admin).get(url(world, "coach_report") + "?verdict=none")
    assert [i.row.title for i in unreviewed.context["report"].items] == ["Nothing measured yet"]
