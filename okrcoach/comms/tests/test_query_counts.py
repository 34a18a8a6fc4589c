"""Exact query counts for comms pages and endpoints, each at two sizes: the count does not grow
with the number of feed lines, endpoints, deliveries, revisions, mentions, notifications or
comments."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World
from okrcoach.comms import services
from okrcoach.comms.models import WebhookDelivery
from okrcoach.okrs.services.check_ins import CheckInData, record_check_in
from okrcoach.okrs.tests.factories import KeyResultFactory
from okrcoach.orgs.models import Membership
from okrcoach.orgs.tests.factories import MembershipFactory

from .helpers import comment_on, endpoint, key_result, objective
from .test_api import Api

pytestmark = pytest.mark.django_db
SIZES = [2, 15]


def _client(person: Membership) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def _activity(world: World, n: int) -> Any:
    """n objectives in the team, each with a check-in, a comment and a status line."""
    goals = []
    for i in range(n):
        goal = objective(world.member, team=world.team, title=f"Objective {i}")
        kr = KeyResultFactory(objective=goal)
        record_check_in(
            actor=world.member, key_result=kr, data=CheckInData(value=Decimal(70), confidence=8)
        )
        comment_on(world.peer, kr, f"note {i}")
        goals.append(goal)
    return goals


# Measured with 2 and 15 items and pinned: the same count at both sizes. Feeds run one query
# for their lines (the visibility gates as subqueries); the team feed adds the team and its
# subtree, the objective feed the objective. Every page's own share: the membership with its
# user (the session from the cache; no switcher list for a member of one organisation).
FEED = 5
TEAM_FEED = 6
OBJECTIVE_FEED = 6


@pytest.mark.parametrize("n", SIZES)
def test_the_organisation_feed(world: World, n: int, django_assert_num_queries: Any) -> None:
    _activity(world, n)
    client = _client(world.peer)
    with django_assert_num_queries(FEED):
        page = client.get(reverse("comms:feed", args=["acme"])).content.decode()
    assert page.count("changed the status of") == n


@pytest.mark.parametrize("n", SIZES)
def test_the_team_feed(world: World, n: int, django_assert_num_queries: Any) -> None:
    _activity(world, n)
    client = _client(world.peer)
    with django_assert_num_queries(TEAM_FEED):
        page = client.get(reverse("comms:team_feed", args=["acme", world.team.public_id]))
    assert page.content.decode().count("commented on") == n


@pytest.mark.parametrize("n", SIZES)
def test_the_objective_feed(world: World, n: int, django_assert_num_queries: Any) -> None:
    goal = objective(world.member, team=world.team, title="Busy objective")
    kr = KeyResultFactory(objective=goal)
    for i in range(n):
        comment_on(world.peer, kr, f"note {i}")
    client = _client(world.peer)
    url = reverse("comms:target_feed", args=["acme", "objective", goal.public_id])
    with django_assert_num_queries(OBJECTIVE_FEED):
        page = client.get(url).content.decode()
    assert page.count("commented on") == n


WEBHOOKS = 5
DELIVERY_LOG = 6


@pytest.mark.parametrize("n", SIZES)
def test_the_webhooks_list(world: World, n: int, django_assert_num_queries: Any) -> None:
    for i in range(n):
        endpoint(world.admin, url=f"https://hooks.example.test/{i}")
    client = _client(world.admin)
    with django_assert_num_queries(WEBHOOKS):
        page = client.get(reverse("comms:webhooks", args=["acme"])).content.decode()
    assert page.count("hooks.example.test/") >= n


@pytest.mark.parametrize("n", SIZES)
def test_the_delivery_log(world: World, n: int, django_assert_num_queries: Any) -> None:
    e = endpoint(world.admin)
    for i in range(n):
        WebhookDelivery.objects.for_org(world.org).create(
            organisation=world.org,
            endpoint=e,
            event_type="test.ping",
            message_id=f"m{i}",
            payload={},
            status="succeeded",
            response_status=200,
            response_ms=7,
        )
    client = _client(world.admin)
    with django_assert_num_queries(DELIVERY_LOG):
        page = client.get(reverse("comms:webhook_detail", args=["acme", e.public_id]))
    assert page.content.decode().count("7 ms") == n


EDIT_PAGE = 7
# membership (with user; the session from the cache), the comment, its target; savepoint,
# revision insert, update; the named people, those mentioned already, the target again (the
# service's own), who may see it, one mention insert, one notification insert, audit; release;
# session save (3): 17.
EDIT = 17


@pytest.mark.parametrize("n", SIZES)
def test_the_comment_edit_page(world: World, n: int, django_assert_num_queries: Any) -> None:
    comment = comment_on(world.member, key_result(world.member), "v0")
    for i in range(n):
        services.edit_comment(actor=world.member, comment=comment, body=f"v{i + 1}")
    client = _client(world.member)
    with django_assert_num_queries(EDIT_PAGE):
        page = client.get(reverse("comms:comment_edit", args=["acme", comment.public_id]))
    assert page.status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_an_edit_that_mentions_many_new_people(
    world: World, n: int, django_assert_num_queries: Any
) -> None:
    people = [
        MembershipFactory(organisation=world.org, user__email=f"person{i}@acme.test")
        for i in range(n)
    ]
    comment = comment_on(world.member, key_result(world.member), "Plan attached")
    body = "Plan attached, " + " ".join(f"@person{i}" for i in range(n))
    client = _client(world.member)
    url = reverse("comms:comment_edit", args=["acme", comment.public_id])
    with django_assert_num_queries(EDIT):
        response = client.post(url, {"body": body})
    assert response.status_code == 302
    assert comment.mentioned.count() == len(people)


# A fragment: no layout, so no switcher either; the session from the cache, the user with
# the membership.
BADGE = 5


@pytest.mark.parametrize("n", SIZES)
def test_the_unread_badge(world: World, n: int, django_assert_num_queries: Any) -> None:
    kr = key_result(world.member)
    for i in range(n):
        comment_on(world.peer, kr, f"@mia note {i}")
    client = _client(world.manager)
    with django_assert_num_queries(BADGE):
        badge = client.get(reverse("comms:badge", args=["acme"])).content.decode()
    assert f">{n}</span>" in badge


# Token auth is one query (the token with its member).
API_COMMENTS = 5
API_NOTIFICATIONS = 4


@pytest.mark.parametrize("n", SIZES)
def test_the_api_comment_list(world: World, n: int, django_assert_num_queries: Any) -> None:
    kr = key_result(world.member)
    for i in range(n):
        comment_on(world.peer, kr, f"note {i}")
    api = Api(world.member)
    with django_assert_num_queries(API_COMMENTS):
        response = api.get(f"/comments/key_result/{kr.public_id}")
    assert response.status_code == 200
    assert len(response.json()["items"]) == n


@pytest.mark.parametrize("n", SIZES)
def test_the_api_notification_list(world: World, n: int, django_assert_num_queries: Any) -> None:
    kr = key_result(world.member)
    for i in range(n):
        comment_on(world.peer, kr, f"@mia note {i}")
    api = Api(world.manager)
    with django_assert_num_queries(API_NOTIFICATIONS):
        response = api.get("/notifications")
    assert response.json()["count"] == n
