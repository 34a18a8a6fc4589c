from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import World
from okrcoach.api.services import create_api_token
from okrcoach.okrs.models import CheckIn, Cycle, KeyResult, Objective
from okrcoach.orgs.models import Membership

from .factories import KeyResultFactory, ObjectiveFactory

BASE = "/api/v1/okrs"


class Api:
    def __init__(self, membership: Membership) -> None:
        _token, raw = create_api_token(membership=membership, name="test")
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        self.client = Client()

    def get(self, path: str, **extra: str):
        return self.client.get(BASE + path, **self.headers, **extra)

    def send(self, method: str, path: str, body: object = None, **extra: str):
        return getattr(self.client, method)(
            BASE + path, body, content_type="application/json", **self.headers, **extra
        )


def test_cycles_and_objectives_are_listed_and_filtered(world: World, cycle: Cycle) -> None:
    mine = ObjectiveFactory(cycle=cycle, owner=world.member, team=world.team)
    ObjectiveFactory(cycle=cycle, owner=world.peer)
    api = Api(world.member)
    assert api.get("/cycles").json()["items"][0]["name"] == cycle.name
    body = api.get(f"/objectives?owner={world.member.public_id}").json()
    assert [o["id"] for o in body["items"]] == [str(mine.public_id)]
    assert len(api.get(f"/objectives?team={world.team.public_id}").json()["items"]) == 1
    assert len(api.get(f"/objectives?cycle={cycle.public_id}").json()["items"]) == 2


def test_private_objectives_are_hidden_from_peers(world: World, cycle: Cycle) -> None:
    secret = ObjectiveFactory(cycle=cycle, owner=world.member, visibility="private")
    assert Api(world.peer).get("/objectives").json()["items"] == []
    assert Api(world.peer).get(f"/objectives/{secret.public_id}").status_code == 404
    assert Api(world.manager).get(f"/objectives/{secret.public_id}").status_code == 200


def test_create_objective_and_key_result_then_check_in(world: World, cycle: Cycle) -> None:
    api = Api(world.member)
    created = api.send(
        "post",
        "/objectives",
        {
            "title": "Faster customs clearance",
            "level": "personal",
            "cycle_id": str(cycle.public_id),
        },
    )
    assert created.status_code == 201, created.content
    objective_id = created.json()["id"]
    kr = api.send(
        "post",
        "/key-results",
        {
            "objective_id": objective_id,
            "title": "Hold time down",
            "direction": "decrease",
            "baseline": "40",
            "target": "10",
        },
    )
    assert kr.status_code == 201, kr.content
    check_in = api.send(
        "post", f"/key-results/{kr.json()['id']}/check-ins", {"value": "25", "confidence": 6}
    )
    assert check_in.status_code == 201, check_in.content
    assert check_in.json()["progress"] == 0.5
    assert api.get(f"/objectives/{objective_id}").json()["progress"] == 0.5
    history = api.get(f"/key-results/{kr.json()['id']}/check-ins").json()
    assert history["count"] == 1


def test_bad_input_is_a_422_naming_the_field(world: World, cycle: Cycle) -> None:
    api = Api(world.member)
    response = api.send("post", "/objectives", {"title": "", "cycle_id": str(cycle.public_id)})
    assert response.status_code == 422 and response.json()["field"] == "title"
    kr = KeyResultFactory(objective=ObjectiveFactory(cycle=cycle, owner=world.member))
    response = api.send("post", f"/key-results/{kr.public_id}/check-ins", {"confidence": 5})
    assert response.status_code == 422 and response.json()["field"] == "value"
    assert not CheckIn.objects.for_org(world.org).exists()


def test_patch_with_a_stale_if_match_is_412_and_writes_nothing(world: World, cycle: Cycle) -> None:
    o = ObjectiveFactory(cycle=cycle, owner=world.member, title="Old")
    api = Api(world.member)
    etag = api.get(f"/objectives/{o.public_id}")["ETag"]
    assert etag == '"1"'
    ok = api.send("patch", f"/objectives/{o.public_id}", {"title": "New"}, HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok.json()["version"] == 2 and ok["ETag"] == '"2"'
    stale = api.send("patch", f"/objectives/{o.public_id}", {"title": "Newer"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and stale.json()["detail"]
    o.refresh_from_db()
    assert o.title == "New"


def test_key_result_patch_honours_if_match(world: World, cycle: Cycle) -> None:
    kr = KeyResultFactory(objective=ObjectiveFactory(cycle=cycle, owner=world.member))
    api = Api(world.member)
    assert (
        api.send(
            "patch", f"/key-results/{kr.public_id}", {"target": "50"}, HTTP_IF_MATCH='"9"'
        ).status_code
        == 412
    )
    ok = api.send("patch", f"/key-results/{kr.public_id}", {"target": "50"}, HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200 and ok.json()["target"] == 50.0


def test_peer_cannot_change_or_delete_someone_elses_objective(world: World, cycle: Cycle) -> None:
    o = ObjectiveFactory(cycle=cycle, owner=world.member)
    api = Api(world.peer)
    assert api.send("patch", f"/objectives/{o.public_id}", {"title": "Mine now"}).status_code == 403
    assert api.send("delete", f"/objectives/{o.public_id}").status_code == 403
    assert Objective.objects.for_org(world.org).filter(pk=o.pk, title=o.title).exists()


def test_owner_deletes_an_objective_without_check_ins(world: World, cycle: Cycle) -> None:
    o = ObjectiveFactory(cycle=cycle, owner=world.member)
    assert Api(world.member).send("delete", f"/objectives/{o.public_id}").status_code == 204
    assert not Objective.objects.for_org(world.org).exists()


def test_bulk_check_in_records_all(world: World, cycle: Cycle) -> None:
    o = ObjectiveFactory(cycle=cycle, owner=world.member)
    krs = [KeyResultFactory(objective=o) for _ in range(3)]
    items = [{"key_result_id": str(kr.public_id), "value": "50", "confidence": 7} for kr in krs]
    response = Api(world.member).send("post", "/check-ins/bulk", {"items": items})
    assert response.status_code == 201 and response.json() == {"count": 3}
    o.refresh_from_db()
    assert o.progress == D("0.5")


def test_bulk_check_in_costs_the_same_queries_for_few_rows_and_many(
    world: World, cycle: Cycle
) -> None:
    """The endpoint loads its key results once, with what recording reads (no column it leaves
    out is fetched again row by row)."""
    counts = []
    for n in (2, 7):
        o = ObjectiveFactory(cycle=cycle, owner=world.member, team=world.team)
        krs = [KeyResultFactory(objective=o, owner=world.member) for _ in range(n)]
        items = [{"key_result_id": str(kr.public_id), "value": "40", "confidence": 6} for kr in krs]
        with CaptureQueriesContext(connection) as ctx:
            response = Api(world.member).send("post", "/check-ins/bulk", {"items": items})
        assert response.status_code == 201 and response.json() == {"count": n}
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    "bad",
    [
        {"value": None, "confidence": 7},  # the service refuses: no value
        {"value": "1", "confidence": None},  # no confidence
        {"value": "1", "confidence": 7, "key_result_id": "00000000-0000-0000-0000-000000000000"},
    ],
)
def test_bulk_check_in_is_all_or_nothing(
    world: World, cycle: Cycle, bad: dict[str, object]
) -> None:
    o = ObjectiveFactory(cycle=cycle, owner=world.member)
    krs = [KeyResultFactory(objective=o) for _ in range(3)]
    items = [{"key_result_id": str(kr.public_id), "value": "50", "confidence": 7} for kr in krs]
    items[2] = {**items[2], **bad}
    response = Api(world.member).send("post", "/check-ins/bulk", {"items": items})
    assert response.status_code == 422
    assert response.json()["field"].startswith("items.2.")
    assert not CheckIn.objects.for_org(world.org).exists()
    assert not KeyResult.objects.for_org(world.org).filter(current_value__isnull=False).exists()


def test_bulk_check_in_refuses_more_than_500(world: World, cycle: Cycle) -> None:
    kr = KeyResultFactory(objective=ObjectiveFactory(cycle=cycle, owner=world.member))
    items = [{"key_result_id": str(kr.public_id), "value": "1", "confidence": 1}] * 501
    response = Api(world.member).send("post", "/check-ins/bulk", {"items": items})
    assert response.status_code == 422 and response.json()["field"] == "items"


def test_alignment_tree_shows_ancestors_and_descendants(world: World, cycle: Cycle) -> None:
    top = ObjectiveFactory(cycle=cycle, owner=world.executive, level="company")
    middle = ObjectiveFactory(cycle=cycle, owner=world.manager, parent=top)
    leaf = ObjectiveFactory(cycle=cycle, owner=world.member, parent=middle)
    body = Api(world.peer).get(f"/objectives/{middle.public_id}/alignment").json()
    assert [a["id"] for a in body["ancestors"]] == [str(top.public_id)]
    assert body["objective"]["children"][0]["id"] == str(leaf.public_id)


def test_outsider_token_gets_404_json(world: World, cycle: Cycle) -> None:
    o = ObjectiveFactory(cycle=cycle, owner=world.member)
    response = Api(world.outsider).get(f"/objectives/{o.public_id}")
    assert response.status_code == 404 and response.json()["detail"]


def test_malformed_json_is_4xx_not_500(world: World, cycle: Cycle) -> None:
    api = Api(world.member)
    response = api.client.post(
        BASE + "/objectives", "{not json", content_type="application/json", **api.headers
    )
    assert 400 <= response.status_code < 500
