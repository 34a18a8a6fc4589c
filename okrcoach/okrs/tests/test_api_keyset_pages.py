"""The two busiest API lists, objectives and key results, answer keyset pages: the client follows
`next` (an opaque cursor) instead of asking for page N, so no page counts or skips the rows
before it. The old `page`/`page_size` still answer offset pages with `count`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from conftest import World
from okrcoach.api.services import create_api_token
from okrcoach.okrs.models import Cycle, KeyResult, Objective
from okrcoach.orgs.models import Membership

from .factories import CycleFactory, KeyResultFactory, ObjectiveFactory

BASE = "/api/v1/okrs"


class Api:
    def __init__(self, membership: Membership) -> None:
        _token, raw = create_api_token(membership=membership, name="test")
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        self.client = Client()

    def get(self, url: str) -> Any:
        path = url if url.startswith("http") else BASE + url
        split = urlsplit(path)
        return self.client.get(f"{split.path}?{split.query}", **self.headers)

    def walk(self, url: str) -> tuple[list[str], list[dict[str, Any]]]:
        """Every item's id across the pages, and each page's body."""
        ids: list[str] = []
        pages: list[dict[str, Any]] = []
        next_url: str | None = url
        while next_url:
            response = self.get(next_url)
            assert response.status_code == 200, response.content
            body = response.json()
            pages.append(body)
            ids += [item["id"] for item in body["items"]]
            next_url = body["next"]
            assert len(pages) < 100
        return ids, pages


def _key_results(world: World, cycle: Cycle, objectives: int, per_objective: int) -> None:
    for n in range(objectives):
        objective = ObjectiveFactory(cycle=cycle, owner=world.member, position=n % 2)
        for p in range(per_objective):
            KeyResultFactory(objective=objective, position=per_objective - p)


def test_following_next_lists_every_key_result_once_in_order(world: World, cycle: Cycle) -> None:
    _key_results(world, cycle, objectives=4, per_objective=3)
    ids, pages = Api(world.member).walk("/key-results?limit=5")
    expected = [
        str(k.public_id)
        for k in KeyResult.objects.for_org(world.org).order_by("objective_id", "position", "pk")
    ]
    assert ids == expected
    assert [len(p["items"]) for p in pages] == [5, 5, 2]
    assert pages[0]["count"] is None and pages[-1]["next"] is None


def test_the_next_link_keeps_the_filters(world: World, cycle: Cycle) -> None:
    _key_results(world, cycle, objectives=2, per_objective=3)
    objective = Objective.objects.for_org(world.org).order_by("pk").last()
    assert objective is not None
    ids, pages = Api(world.member).walk(f"/key-results?objective={objective.public_id}&limit=2")
    assert f"objective={objective.public_id}" in pages[0]["next"]
    assert sorted(ids) == sorted(str(k.public_id) for k in objective.key_results.all())


def test_objectives_come_cycle_by_cycle_in_start_date_order(world: World, cycle: Cycle) -> None:
    earlier = CycleFactory(organisation=world.org, starts_on=cycle.starts_on - timedelta(days=91))
    later_titles = [ObjectiveFactory(cycle=cycle, owner=world.member).pk for _ in range(3)]
    earlier_titles = [ObjectiveFactory(cycle=earlier, owner=world.member).pk for _ in range(2)]
    ids, pages = Api(world.member).walk("/objectives?limit=2")
    by_id = {str(o.public_id): o.pk for o in Objective.objects.for_org(world.org)}
    assert [by_id[i] for i in ids] == earlier_titles + later_titles
    # A page never spans two cycles: the earlier cycle's two, then the later cycle's 2 + 1.
    assert [len(p["items"]) for p in pages] == [2, 2, 1]


def test_private_objectives_stay_hidden_on_every_page(world: World, cycle: Cycle) -> None:
    for n in range(5):
        secret = ObjectiveFactory(cycle=cycle, owner=world.member, visibility="private")
        KeyResultFactory(objective=secret, title=f"Secret {n}")
        KeyResultFactory(objective=ObjectiveFactory(cycle=cycle, owner=world.peer))
    peer = Api(world.peer)
    objective_ids, _ = peer.walk("/objectives?limit=2")
    kr_ids, _ = peer.walk("/key-results?limit=2")
    assert len(objective_ids) == 5 and len(kr_ids) == 5
    manager_krs, _ = Api(world.manager).walk("/key-results?limit=3")
    assert len(manager_krs) == 10  # the member reports to the manager


def test_a_parent_the_reader_may_not_see_is_listed_as_none(world: World, cycle: Cycle) -> None:
    secret = ObjectiveFactory(cycle=cycle, owner=world.member, visibility="private")
    child = ObjectiveFactory(cycle=cycle, owner=world.peer, parent=secret)
    seen_by_peer = {o["id"]: o for o in Api(world.peer).get("/objectives").json()["items"]}
    assert set(seen_by_peer) == {str(child.public_id)}
    assert seen_by_peer[str(child.public_id)]["parent_id"] is None
    seen_by_manager = {o["id"]: o for o in Api(world.manager).get("/objectives").json()["items"]}
    assert seen_by_manager[str(child.public_id)]["parent_id"] == str(secret.public_id)
    by_admin = {o["id"]: o for o in Api(world.admin).get("/objectives").json()["items"]}
    assert by_admin[str(child.public_id)]["parent_id"] == str(secret.public_id)


def test_another_organisations_token_sees_none_of_these_rows(world: World, cycle: Cycle) -> None:
    _key_results(world, cycle, objectives=2, per_objective=2)
    outsider = Api(world.outsider)
    assert outsider.walk("/key-results")[0] == []
    assert outsider.walk("/objectives")[0] == []
    # A cursor names a row of the list it came from; in another organisation it finds nothing.
    cursor = Api(world.member).get("/key-results?limit=1").json()["next"]
    assert outsider.get(cursor).json()["items"] == []


def test_offset_pages_still_answer_with_a_count(world: World, cycle: Cycle) -> None:
    _key_results(world, cycle, objectives=3, per_objective=2)
    api = Api(world.member)
    body = api.get("/key-results?page=2&page_size=4").json()
    assert (body["count"], body["page"], body["page_size"], body["pages"]) == (6, 2, 4, 2)
    assert len(body["items"]) == 2 and body["next"] is None
    first = api.get("/objectives?page=1&page_size=2").json()
    assert first["count"] == 3 and "page=2" in first["next"]


@pytest.mark.parametrize("cursor", ["nonsense", "WzEsMiwzXQ:forged", ""])
def test_a_forged_cursor_is_refused_naming_the_field(
    world: World, cycle: Cycle, cursor: str
) -> None:
    _key_results(world, cycle, objectives=1, per_objective=1)
    response = Api(world.member).get(f"/key-results?cursor={cursor}")
    if cursor:
        assert response.status_code == 422 and response.json()["field"] == "cursor"
    else:
        assert response.status_code == 200  # an empty cursor is the first page


def test_the_limit_is_bounded(world: World) -> None:
    response = Api(world.member).get("/key-results?limit=201")
    assert response.status_code == 422 and response.json()["field"] == "limit"


@pytest.mark.parametrize("size", [2, 20])
def test_a_keyset_page_costs_the_same_at_any_size_and_depth(
    world: World, cycle: Cycle, size: int, assert_queries: Any
) -> None:
    _key_results(world, cycle, objectives=size, per_objective=3)
    api = Api(world.manager)
    first = api.get("/key-results?limit=3").json()  # also records the token's last use
    with assert_queries(2):  # the token with its member; one page of rows
        second = api.get(first["next"])
    assert len(second.json()["items"]) == 3
    with assert_queries(3):  # the token with its member; the cycles in order; one page
        objectives = api.get("/objectives?limit=1")
    with assert_queries(3):
        api.get(objectives.json()["next"])


def test_the_openapi_document_describes_cursor_and_next(world: World) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/okrs/key-results"]["get"]
    names = {p["name"]: p for p in operation["parameters"]}
    assert {"limit", "cursor", "page", "page_size"} <= set(names)
    assert "Deprecated" in names["page"]["description"]
    page = document["components"]["schemas"]["KeyResultPage"]
    assert "next" in page["properties"] and "null" in page["properties"]["next"]["description"]
