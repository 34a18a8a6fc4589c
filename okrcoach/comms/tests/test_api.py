"""/api/v1 comments, notifications and webhook endpoints: the same rules as the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from conftest import World
from okrcoach.api.services import create_api_token
from okrcoach.comms.models import Comment, WebhookEndpoint
from okrcoach.orgs.models import Membership

from .helpers import comment_on, key_result

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, membership: Membership) -> None:
        _token, raw = create_api_token(membership=membership, name="test")
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        self.client = Client()

    def get(self, path: str) -> Any:
        return self.client.get("/api/v1" + path, **self.headers)

    def send(self, method: str, path: str, body: object = None) -> Any:
        return getattr(self.client, method)(
            "/api/v1" + path, body, content_type="application/json", **self.headers
        )


def test_comment_reply_edit_and_delete_through_the_api(world: World) -> None:
    kr = key_result(world.member)
    path = f"/comments/key_result/{kr.public_id}"
    made = Api(world.member).send("post", path, {"body": "Ready for review, @mia"})
    assert made.status_code == 201, made.content
    reply = Api(world.manager).send(
        "post", path, {"body": "Looks right.", "parent_id": made.json()["id"]}
    )
    assert reply.status_code == 201 and reply.json()["parent_id"] == made.json()["id"]
    listed = Api(world.peer).get(path).json()
    assert [c["body"] for c in listed["items"]] == ["Ready for review, @mia", "Looks right."]
    cid = made.json()["id"]
    assert Api(world.manager).send("patch", f"/comments/{cid}", {"body": "x"}).status_code == 403
    edited = Api(world.member).send("patch", f"/comments/{cid}", {"body": "Ready now"})
    assert edited.json()["body"] == "Ready now" and edited.json()["edited_at"]
    assert Api(world.member).send("delete", f"/comments/{cid}").status_code == 204
    assert Comment.objects.for_org(world.org).get(public_id=cid).is_deleted


def test_a_private_objectives_comments_are_404_through_the_api(world: World) -> None:
    kr = key_result(world.member, private=True)
    path = f"/comments/key_result/{kr.public_id}"
    assert Api(world.peer).get(path).status_code == 404
    assert Api(world.peer).send("post", path, {"body": "peek"}).status_code == 404
    assert Api(world.manager).get(path).status_code == 200
    assert not Comment.objects.for_org(world.org).exists()


def test_an_empty_comment_is_422_naming_the_field(world: World) -> None:
    kr = key_result(world.member)
    response = Api(world.member).send("post", f"/comments/key_result/{kr.public_id}", {"body": ""})
    assert response.status_code == 422 and response.json()["field"] == "body"


def test_notifications_list_and_mark_read(world: World) -> None:
    comment_on(world.member, key_result(world.member), "@mia please")
    api = Api(world.manager)
    unread = api.get("/notifications?unread=true").json()
    assert unread["count"] == 1 and unread["items"][0]["kind"] == "mention"
    nid = unread["items"][0]["id"]
    assert api.send("post", f"/notifications/{nid}/read").json()["read_at"]
    assert api.get("/notifications?unread=true").json()["count"] == 0
    assert Api(world.peer).send("post", f"/notifications/{nid}/read").status_code == 404
    assert api.send("post", "/notifications/read-all").json() == {"marked": 0}


def test_webhook_endpoints_are_for_admins(world: World) -> None:
    body = {"url": "https://hooks.example.test/a", "format": "teams", "events": ["comment.created"]}
    assert Api(world.manager).send("post", "/webhooks/endpoints", body).status_code == 403
    made = Api(world.admin).send("post", "/webhooks/endpoints", body)
    assert made.status_code == 201 and made.json()["secret"].startswith("whsec_")
    eid = made.json()["id"]
    assert Api(world.manager).get(f"/webhooks/endpoints/{eid}").status_code == 403
    bad = Api(world.admin).send("post", "/webhooks/endpoints", {**body, "events": ["nope"]})
    assert bad.status_code == 422
    assert WebhookEndpoint.objects.for_org(world.org).count() == 1


@pytest.mark.parametrize("count", [2, 20])
def test_the_notification_list_runs_a_fixed_number_of_queries(
    world: World, count: int, assert_queries: Callable[[int], object]
) -> None:
    kr = key_result(world.member)
    for i in range(count):
        comment_on(world.peer, kr, f"@mia note {i}")
    api = Api(world.manager)
    with assert_queries(4):  # the token now finds its member in the same query
        response = api.get("/notifications")
    assert response.json()["count"] == count
