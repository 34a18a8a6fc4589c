"""Outgoing webhooks to a real HTTP receiver on loopback, delivered by the real task worker."""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from conftest import World
from okrcoach.comms import services
from okrcoach.comms.models import Notification, WebhookDelivery, WebhookEndpoint
from okrcoach.comms.webhooks import backoff_seconds
from okrcoach.okrs.services.check_ins import CheckInData, record_check_in

from .helpers import comment_on, endpoint, key_result
from .receiver import receiver

BASE = {
    "TASKS": {"default": {"BACKEND": "okrcoach.core.tasks.DatabaseTaskBackend"}},
    "WEBHOOK_ALLOW_HTTP": True,
    "SITE_URL": "https://okr.example.test",
}


def work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_check_in_is_delivered_signed_in_each_format(world: World) -> None:
    with receiver() as hook, override_settings(**BASE, WEBHOOK_RETRY_BASE_SECONDS=0):
        endpoints = {
            f: endpoint(world.admin, url=f"{hook.url}/{f}", format=f)
            for f in ("generic", "slack", "teams")
        }
        secrets = {e.secret for e in endpoints.values()}
        kr = key_result(world.member)
        record_check_in(
            actor=world.member, key_result=kr, data=CheckInData(value=Decimal(40), confidence=7)
        )
        work()
    assert len(hook.requests) == 3
    by_path = {}
    for r in hook.requests:
        # Each endpoint signs with its own secret; the receiver checks against all three.
        assert any(_ok(s, r) for s in secrets), r.headers
        assert r.headers["webhook-id"].startswith("msg_")
        kind = "slack" if "blocks" in r.json else r.json["type"]
        by_path[kind] = r.json
    generic = by_path["check_in.recorded"]
    assert generic["data"]["title"] == kr.title
    slack = by_path["slack"]
    assert slack["blocks"][0]["type"] == "section"
    assert (
        "https://okr.example.test/o/acme/comments/key_result/" in slack["blocks"][0]["text"]["text"]
    )
    card = by_path["message"]["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["type"] == "AdaptiveCard"
    log = WebhookDelivery.objects.for_org(world.org).all()
    assert {d.status for d in log} == {"succeeded"}
    assert all(d.response_status == 200 and d.response_ms is not None for d in log)


def _ok(secret: str, r: object) -> bool:
    from .receiver import signature_ok

    return signature_ok(secret, r.headers, r.body)


@pytest.mark.django_db(transaction=True)
def test_a_failing_receiver_gets_retries_with_exponential_backoff(world: World) -> None:
    with receiver() as hook, override_settings(**BASE, WEBHOOK_RETRY_BASE_SECONDS=0.3):
        hook.statuses = [500, 503, 200]
        e = endpoint(world.admin, url=hook.url)
        hook.secret = e.secret
        services.send_test_event(actor=world.admin, endpoint=e)
        deadline = time.time() + 20
        while len(hook.requests) < 3 and time.time() < deadline:
            work()
            time.sleep(0.1)
    assert [r.signature_ok for r in hook.requests] == [True, True, True]
    gaps = [b.at - a.at for a, b in zip(hook.requests, hook.requests[1:], strict=False)]
    assert gaps[0] >= 0.3 and gaps[1] >= 0.6, gaps  # 0.3 s, then 0.6 s
    assert backoff_seconds(1) == 30 and backoff_seconds(3) == 120  # the default schedule
    delivery = WebhookDelivery.objects.for_org(world.org).get()
    assert delivery.status == "succeeded" and delivery.attempts == 3
    assert delivery.response_status == 200


@pytest.mark.django_db(transaction=True)
def test_an_endpoint_that_keeps_failing_is_disabled_and_its_admin_told(world: World) -> None:
    with (
        receiver() as hook,
        override_settings(**BASE, WEBHOOK_RETRY_BASE_SECONDS=0, WEBHOOK_DISABLE_AFTER=3),
    ):
        hook.statuses = [500] * 10
        e = endpoint(world.admin, url=hook.url)
        services.send_test_event(actor=world.admin, endpoint=e)
        for _ in range(5):
            work()
    e.refresh_from_db()
    assert not e.is_active and e.disabled_at is not None
    assert len(hook.requests) == 3  # nothing more once disabled
    told = Notification.objects.for_org(world.org).get(kind="webhook_disabled")
    assert told.recipient == world.admin


@pytest.mark.django_db(transaction=True)
def test_a_private_objective_never_reaches_a_webhook(world: World) -> None:
    with receiver() as hook, override_settings(**BASE):
        endpoint(world.admin, url=hook.url)
        kr = key_result(world.member, private=True)
        record_check_in(
            actor=world.member, key_result=kr, data=CheckInData(value=Decimal(10), confidence=2)
        )
        comment_on(world.member, kr, "secret plans")
        work()
    assert hook.requests == []
    assert not WebhookDelivery.objects.for_org(world.org).exists()


@pytest.mark.django_db
def test_webhook_pages_are_for_admins(world: World) -> None:
    client = Client()
    client.force_login(world.manager.user)
    assert client.get(reverse("comms:webhooks", args=["acme"])).status_code == 403
    e = endpoint(world.admin)
    url = reverse("comms:webhook_test", args=["acme", e.public_id])
    assert client.post(url).status_code == 403
    assert not WebhookDelivery.objects.for_org(world.org).exists()


@pytest.mark.django_db
def test_an_invalid_endpoint_names_the_field_and_nothing_is_written(world: World) -> None:
    client = Client()
    client.force_login(world.admin.user)
    response = client.post(
        reverse("comms:webhooks", args=["acme"]),
        {"url": "http://plain.example.test/", "format": "slack", "events": ["comment.created"]},
    )
    assert response.status_code == 200
    assert "Use an https:// address." in response.content.decode()
    assert not WebhookEndpoint.objects.for_org(world.org).exists()


@pytest.mark.parametrize("deliveries", [2, 20])
@pytest.mark.django_db
def test_the_delivery_log_runs_a_fixed_number_of_queries(
    world: World, deliveries: int, assert_queries: Callable[[int], object]
) -> None:
    e = endpoint(world.admin)
    for i in range(deliveries):
        WebhookDelivery.objects.for_org(world.org).create(
            organisation=world.org,
            endpoint=e,
            event_type="test.ping",
            message_id=f"m{i}",
            payload={},
            status="succeeded",
            response_status=200,
            response_ms=12,
        )
    client = Client()
    client.force_login(world.admin.user)
    # membership with its user (session from the cache, no switcher for one organisation), the
    # endpoint, its log, session save: 6.
    with assert_queries(6):
        response = client.get(reverse("comms:webhook_detail", args=["acme", e.public_id]))
    assert response.content.decode().count("12 ms") == deliveries
