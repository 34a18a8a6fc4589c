"""Cycles, grading and retrospectives through the API: the same rules as the pages."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any, cast

import pytest

from conftest import World
from okrcoach.okrs.models import Cycle, KeyResult, Retrospective
from okrcoach.orgs.models import Team

from .factories import CycleFactory, KeyResultFactory, ObjectiveFactory
from .test_api import Api


def test_an_admin_opens_a_cycle_and_moves_it_on(world: World) -> None:
    api = Api(world.admin)
    created = api.send(
        "post",
        "/cycles",
        {"name": "Q3", "kind": "quarter", "starts_on": "2030-07-01", "ends_on": "2030-09-30"},
    )
    assert created.status_code == 201, created.content
    assert created.json()["state"] == "planning"
    advanced = api.send("post", f"/cycles/{created.json()['id']}/advance", {"state": "active"})
    assert advanced.status_code == 200 and advanced.json()["state"] == "active"


def test_a_member_cannot_open_or_advance_a_cycle(world: World, cycle: Cycle) -> None:
    api = Api(world.member)
    body = {"name": "Q3", "starts_on": "2030-07-01", "ends_on": "2030-09-30"}
    assert api.send("post", "/cycles", body).status_code == 403
    response = api.send("post", f"/cycles/{cycle.public_id}/advance", {"state": "grading"})
    assert response.status_code == 403 and response.json()["detail"]
    assert Cycle.objects.for_org(world.org).get().state == Cycle.State.ACTIVE


def test_a_cycle_that_ends_before_it_starts_is_422_on_ends_on(world: World) -> None:
    response = Api(world.admin).send(
        "post", "/cycles", {"name": "Bad", "starts_on": "2030-07-01", "ends_on": "2030-06-01"}
    )
    assert response.status_code == 422 and response.json()["field"] == "ends_on"
    assert not Cycle.objects.for_org(world.org).exists()


def test_skipping_a_state_is_422_on_state(world: World, cycle: Cycle) -> None:
    response = Api(world.admin).send(
        "post", f"/cycles/{cycle.public_id}/advance", {"state": "closed"}
    )
    assert response.status_code == 422 and response.json()["field"] == "state"
    cycle.refresh_from_db()
    assert cycle.state == Cycle.State.ACTIVE


def test_unknown_body_fields_are_refused_by_name(world: World, cycle: Cycle) -> None:
    response = Api(world.admin).send(
        "post", f"/cycles/{cycle.public_id}/advance", {"state": "grading", "force": True}
    )
    assert response.status_code == 422 and response.json()["field"] == "force"
    cycle.refresh_from_db()
    assert cycle.state == Cycle.State.ACTIVE


def test_another_organisations_cycle_is_404_json(world: World) -> None:
    theirs = CycleFactory(organisation=world.other_org)
    response = Api(world.admin).send("post", f"/cycles/{theirs.public_id}/advance", {})
    assert response.status_code == 404 and response.json()["detail"]
    assert Api(world.admin).get(f"/cycles/{theirs.public_id}/grades").status_code == 404


def _grading(world: World) -> tuple[Cycle, KeyResult]:
    cycle = cast(Cycle, CycleFactory(organisation=world.org, state=Cycle.State.GRADING))
    objective = ObjectiveFactory(cycle=cycle, owner=world.member)
    return cycle, cast(KeyResult, KeyResultFactory(objective=objective, progress=D("0.6")))


def test_the_owner_grades_a_key_result_and_the_grading_sheet_shows_it(world: World) -> None:
    cycle, kr = _grading(world)
    api = Api(world.member)
    response = api.send(
        "post", f"/key-results/{kr.public_id}/grade", {"score": 0.4, "score_reason": "Late"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["score"] == 0.4
    sheet = api.get(f"/cycles/{cycle.public_id}/grades").json()
    assert sheet["is_open"] is True
    grade = sheet["objectives"][0]["key_results"][0]
    assert grade["score"] == 0.4 and grade["default_score"] == 0.6 and grade["can_grade"]


def test_a_grade_off_the_progress_needs_a_reason(world: World) -> None:
    _cycle, kr = _grading(world)
    response = Api(world.member).send("post", f"/key-results/{kr.public_id}/grade", {"score": 0.2})
    assert response.status_code == 422 and response.json()["field"] == "score_reason"
    kr.refresh_from_db()
    assert kr.score is None


def test_a_peer_cannot_grade_someone_elses_key_result(world: World) -> None:
    _cycle, kr = _grading(world)
    response = Api(world.peer).send("post", f"/key-results/{kr.public_id}/grade", {})
    assert response.status_code == 403
    kr.refresh_from_db()
    assert kr.score is None


def test_an_objective_retrospective_is_written_then_read(world: World, cycle: Cycle) -> None:
    objective = ObjectiveFactory(cycle=cycle, owner=world.member)
    api = Api(world.member)
    url = f"/objectives/{objective.public_id}/retrospective"
    assert api.get(url).status_code == 404
    written = api.send("put", url, {"went_well": "Routes", "learned": "Measure weekly"})
    assert written.status_code == 200, written.content
    assert api.get(url).json()["learned"] == "Measure weekly"
    assert Api(world.peer).get(url).status_code == 403


def test_an_empty_retrospective_is_422_and_writes_nothing(world: World, cycle: Cycle) -> None:
    objective = ObjectiveFactory(cycle=cycle, owner=world.member)
    response = Api(world.member).send(
        "put", f"/objectives/{objective.public_id}/retrospective", {"went_well": "  "}
    )
    assert response.status_code == 422 and response.json()["field"] == "went_well"
    assert not Retrospective.objects.for_org(world.org).exists()


def test_team_retrospectives_are_for_the_teams_people(world: World, cycle: Cycle) -> None:
    url = f"/teams/{world.team.public_id}/cycles/{cycle.public_id}/retrospective"
    written = Api(world.member).send("put", url, {"change_next": "Fewer KRs"})
    assert written.status_code == 200 and written.json()["team_id"] == str(world.team.public_id)
    assert Api(world.admin).get(url).json()["change_next"] == "Fewer KRs"
    assert Api(world.executive).send("put", url, {"went_well": "x"}).status_code == 403
    other = Team.objects.for_org(world.other_org).first()
    outsider = Api(world.outsider).get(
        f"/teams/{other.public_id}/cycles/{cycle.public_id}/retrospective"
    )
    assert outsider.status_code == 404


@pytest.mark.parametrize("objectives", [2, 20])
def test_the_grading_sheet_costs_the_same_whatever_its_size(
    world: World, assert_queries: Any, objectives: int
) -> None:
    cycle = CycleFactory(organisation=world.org, state=Cycle.State.GRADING)
    for _ in range(objectives):
        KeyResultFactory(objective=ObjectiveFactory(cycle=cycle, owner=world.member))
    api = Api(world.admin)
    api.get("/cycles")  # the token's first use records when it was used
    # 5 → 6: the count of the objectives, now that the sheet is paged.
    with assert_queries(6):  # token with membership, cycle, subtree, count, page, key results
        body = api.get(f"/cycles/{cycle.public_id}/grades?page_size=10").json()
    assert len(body["objectives"]) == min(objectives, 10)
    assert body["count"] == objectives and body["pages"] == -(-objectives // 10)


def test_the_grading_sheet_is_paged_like_every_api_list(world: World) -> None:
    cycle = CycleFactory(organisation=world.org, state=Cycle.State.GRADING)
    titles = [f"Objective {i:02}" for i in range(5)]
    for i, title in enumerate(titles):
        ObjectiveFactory(cycle=cycle, owner=world.member, title=title, position=i)
    api = Api(world.admin)
    url = f"/cycles/{cycle.public_id}/grades"
    second = api.get(f"{url}?page=2&page_size=2").json()
    assert [o["title"] for o in second["objectives"]] == titles[2:4]
    assert (second["count"], second["page"], second["page_size"], second["pages"]) == (5, 2, 2, 3)
    assert api.get(url).json()["page_size"] == 50  # the default
    past_the_end = api.get(f"{url}?page=4&page_size=2").json()
    assert past_the_end["objectives"] == [] and past_the_end["count"] == 5
    assert api.get(f"{url}?page_size=200").status_code == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page_size=201", "page_size"),
        ("page_size=0", "page_size"),
        ("page=0", "page"),
        ("page=x", "page"),
        ("page=5498215011286899712", "page"),
    ],
)
def test_bad_paging_of_the_grading_sheet_is_422_json_naming_the_field(
    world: World, query: str, field: str
) -> None:
    cycle = CycleFactory(organisation=world.org, state=Cycle.State.GRADING)
    response = Api(world.admin).get(f"/cycles/{cycle.public_id}/grades?{query}")
    assert response.status_code == 422 and response["Content-Type"].startswith("application/json")
    assert response.json()["field"] == field and response.json()["detail"]


def test_the_grading_sheet_lists_only_what_the_reader_may_grade(world: World) -> None:
    cycle, _kr = _grading(world)
    ObjectiveFactory(cycle=cycle, owner=world.peer)
    mine = Api(world.member).get(f"/cycles/{cycle.public_id}/grades").json()
    assert mine["count"] == 1 and mine["objectives"][0]["key_results"][0]["can_grade"]
    assert Api(world.admin).get(f"/cycles/{cycle.public_id}/grades").json()["count"] == 2
