"""The inbox (unread count, mark read, all read, following a link) and the activity feeds, with
the visibility of private objectives re-checked when they are read."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World
from okrcoach.comms.models import FeedEntry, Notification
from okrcoach.okrs.models import Objective
from okrcoach.okrs.services.check_ins import CheckInData, record_check_in

from .helpers import comment_on, key_result

pytestmark = pytest.mark.django_db


def _client(person: object) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def test_the_header_badge_counts_unread_and_following_a_notification_marks_it_read(
    world: World,
) -> None:
    kr = key_result(world.member)
    comment_on(world.member, kr, "@mia a question")
    comment_on(world.peer, kr, "@mia another")
    client = _client(world.manager)
    badge = client.get(reverse("comms:badge", args=["acme"])).content.decode()
    assert ">2</span>" in badge and "2 unread" in badge
    first = Notification.objects.for_org(world.org).filter(recipient=world.manager).first()
    assert first is not None
    response = client.get(reverse("comms:notification_open", args=["acme", first.public_id]))
    assert response.status_code == 302 and "#comment-" in response["Location"]
    first.refresh_from_db()
    assert first.read_at is not None
    client.post(reverse("comms:read_all", args=["acme"]))
    assert "unread" not in client.get(reverse("comms:badge", args=["acme"])).content.decode()


def test_someone_elses_notification_is_404(world: World) -> None:
    comment_on(world.member, key_result(world.member), "@mia look")
    n = Notification.objects.for_org(world.org).get()
    client = _client(world.peer)
    assert (
        client.get(reverse("comms:notification_open", args=["acme", n.public_id])).status_code
        == 404
    )
    assert (
        client.post(reverse("comms:notification_read", args=["acme", n.public_id])).status_code
        == 404
    )


def test_a_notification_disappears_when_its_objective_turns_private_for_that_reader(
    world: World,
) -> None:
    kr = key_result(world.member)
    comment_on(world.member, kr, "@pat and @mia see this")
    Objective.objects.for_org(world.org).filter(pk=kr.objective_id).update(
        visibility=Objective.Visibility.PRIVATE
    )
    assert (
        "see this"
        not in _client(world.peer).get(reverse("comms:inbox", args=["acme"])).content.decode()
    )
    assert (
        "see this"
        in _client(world.manager).get(reverse("comms:inbox", args=["acme"])).content.decode()
    )


def test_feeds_never_show_a_private_objective_to_someone_who_may_not_see_it(world: World) -> None:
    secret = key_result(world.member, private=True, title="Secret launch date holds")
    public = key_result(world.member, title="Public uptime stays high")
    for kr in (secret, public):
        record_check_in(
            actor=world.member, key_result=kr, data=CheckInData(value=Decimal(5), confidence=6)
        )
    org_feed = reverse("comms:feed", args=["acme"])
    team_feed = reverse("comms:team_feed", args=["acme", world.team.public_id])
    for url in (org_feed,):
        peer_view = _client(world.peer).get(url).content.decode()
        assert "Public uptime stays high" in peer_view
        assert "Secret launch date holds" not in peer_view
        assert "Secret launch date holds" in _client(world.manager).get(url).content.decode()
    assert _client(world.peer).get(team_feed).status_code == 200
    target = reverse("comms:target_feed", args=["acme", "objective", secret.objective.public_id])
    assert _client(world.peer).get(target).status_code == 404
    assert "checked in on" in _client(world.member).get(target).content.decode()


def test_post_feed_entry_is_the_service_other_apps_call(world: World) -> None:
    from okrcoach.comms import services, targets

    kr = key_result(world.member)
    target = targets.resolve(world.manager, "key_result", kr.public_id)
    services.post_feed_entry(
        target=target, actor=world.manager, verb=FeedEntry.Verb.RECOGNISED, detail="Great work"
    )
    assert (
        "recognised"
        in _client(world.peer).get(reverse("comms:feed", args=["acme"])).content.decode()
    )


@pytest.mark.parametrize("count", [2, 20])
def test_the_inbox_runs_a_fixed_number_of_queries(
    world: World, count: int, assert_queries: Callable[[int], object]
) -> None:
    kr = key_result(world.member)
    for i in range(count):
        comment_on(world.peer, kr, f"@mia note {i}")
    client = _client(world.manager)
    # The membership with its user: the session from the cache, no switcher (one organisation).
    with assert_queries(5):
        response = client.get(reverse("comms:inbox", args=["acme"]))
    assert response.content.decode().count('class="notification') == count


@pytest.mark.parametrize("count", [2, 20])
def test_the_organisation_feed_runs_a_fixed_number_of_queries(
    world: World, count: int, assert_queries: Callable[[int], object]
) -> None:
    kr = key_result(world.member)
    for i in range(count):
        comment_on(world.peer, kr, f"note {i}")
    client = _client(world.member)
    with assert_queries(5):
        response = client.get(reverse("comms:feed", args=["acme"]))
    assert response.content.decode().count("commented on") == count
