"""Webhook targets (SSRF): loopback, private, link-local and metadata addresses are refused when
an endpoint is saved (form and API, on the URL field) and again at delivery time on the address
actually connected to; redirects are never followed. The test settings allow private targets
(the receivers listen on loopback); these tests turn that off to show the refusal."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from conftest import World
from okrcoach.comms import netguard, services
from okrcoach.comms.models import WebhookDelivery, WebhookEndpoint

from .receiver import receiver
from .test_api import Api

DELIVER = {
    "TASKS": {"default": {"BACKEND": "okrcoach.core.tasks.DatabaseTaskBackend"}},
    "WEBHOOK_ALLOW_HTTP": True,
    "WEBHOOK_RETRY_BASE_SECONDS": 0,
}
REFUSED = [
    "http://127.0.0.1:8840/hook",
    "http://localhost:8840/hook",
    "http://[::1]:8840/hook",
    "https://10.1.2.3/hook",
    "https://192.168.0.7/hook",
    "https://172.16.5.5/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://[fd00:ec2::254]/",
    "https://[::ffff:127.0.0.1]/hook",
    "https://0.0.0.0/hook",
    "https://metadata.google.internal/computeMetadata/v1/",
]


@pytest.mark.parametrize("url", REFUSED)
def test_private_and_metadata_addresses_are_refused(url: str) -> None:
    with override_settings(WEBHOOK_ALLOW_PRIVATE_TARGETS=False):
        assert netguard.check_url(url) is not None


def test_public_addresses_pass_and_the_setting_allows_private_but_never_metadata() -> None:
    with override_settings(WEBHOOK_ALLOW_PRIVATE_TARGETS=False):
        assert netguard.why_refused("93.184.215.14") is None
        assert netguard.why_refused("2606:4700::1111") is None
        # A name that does not resolve (yet) is accepted; delivery checks again.
        assert netguard.check_url("https://hooks.example.test/x") is None
    with override_settings(WEBHOOK_ALLOW_PRIVATE_TARGETS=True):
        assert netguard.check_url("http://127.0.0.1:8840/hook") is None
        assert netguard.check_url("https://10.1.2.3/hook") is None
        assert "metadata" in (netguard.check_url("https://169.254.169.254/") or "")
        assert "link-local" in (netguard.why_refused("169.254.10.10") or "")


@pytest.mark.django_db
def test_the_form_names_the_url_field_and_writes_nothing(world: World) -> None:
    client = Client()
    client.force_login(world.admin.user)
    with override_settings(WEBHOOK_ALLOW_PRIVATE_TARGETS=False, WEBHOOK_ALLOW_HTTP=True):
        response = client.post(
            reverse("comms:webhooks", args=["acme"]),
            {"url": "http://127.0.0.1:8840/hook", "format": "slack", "events": ["comment.created"]},
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Webhooks cannot go to this address: 127.0.0.1 is a loopback address." in page
    assert not WebhookEndpoint.objects.for_org(world.org).exists()


@pytest.mark.django_db
def test_the_api_answers_a_field_error_for_a_metadata_address(world: World) -> None:
    body = {
        "url": "https://169.254.169.254/latest/meta-data/",
        "format": "generic",
        "events": ["comment.created"],
    }
    made = Api(world.admin).send("post", "/webhooks/endpoints", body)
    assert made.status_code == 422, made.content
    assert "url" in made.content.decode() and "metadata" in made.content.decode()
    with override_settings(WEBHOOK_ALLOW_PRIVATE_TARGETS=False):
        body["url"] = "https://10.0.0.8/hook"
        assert Api(world.admin).send("post", "/webhooks/endpoints", body).status_code == 422
    assert not WebhookEndpoint.objects.for_org(world.org).exists()


@pytest.mark.django_db
def test_an_update_to_a_private_address_is_refused(world: World) -> None:
    e = services.create_webhook_endpoint(
        actor=world.admin,
        url="https://hooks.example.test/a",
        format="generic",
        events=["comment.created"],
    )
    with (
        override_settings(WEBHOOK_ALLOW_PRIVATE_TARGETS=False),
        pytest.raises(ValidationError) as exc,
    ):
        services.update_webhook_endpoint(
            actor=world.admin,
            endpoint=e,
            url="https://192.168.1.1/",
            format="generic",
            events=["comment.created"],
        )
    assert "url" in exc.value.message_dict
    e.refresh_from_db()
    assert e.url == "https://hooks.example.test/a"


def _work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_delivery_re_checks_the_address_and_never_reaches_a_refused_one(world: World) -> None:
    """An endpoint saved while private targets were allowed (or whose name now resolves to a
    private address) is refused at delivery time: the receiver sees nothing."""
    with receiver(port=8840) as hook, override_settings(**DELIVER):
        e = services.create_webhook_endpoint(
            actor=world.admin, url=hook.url, format="generic", events=["comment.created"]
        )
        with override_settings(WEBHOOK_ALLOW_PRIVATE_TARGETS=False):
            services.send_test_event(actor=world.admin, endpoint=e)
            _work()
    assert hook.requests == []
    delivery = WebhookDelivery.objects.for_org(world.org).get()
    assert delivery.response_status is None
    assert "Refused: 127.0.0.1 is a loopback address" in delivery.error


@pytest.mark.django_db(transaction=True)
def test_a_redirect_is_recorded_and_never_followed(world: World) -> None:
    with (
        receiver(port=8841) as inner,
        receiver(port=8842) as outer,
        override_settings(**DELIVER),
    ):
        outer.location = inner.url  # "go there instead": a private address
        e = services.create_webhook_endpoint(
            actor=world.admin, url=outer.url, format="generic", events=["comment.created"]
        )
        services.send_test_event(actor=world.admin, endpoint=e)
        _work()
    assert len(outer.requests) >= 1
    assert inner.requests == []  # the Location was never fetched
    delivery = WebhookDelivery.objects.for_org(world.org).order_by("created_at").first()
    assert delivery is not None and delivery.response_status == 307
    assert "redirects are not followed" in delivery.error
    assert delivery.status in ("retrying", "failed")
