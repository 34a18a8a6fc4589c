"""Issue 10, problem 7: credential stuffing from one address is stopped, nobody can lock a person
out from elsewhere, the client address comes from a configured header only, and password-reset
and invitation emails are limited per address and per account."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory, override_settings

from conftest import World
from okrcoach.core import throttle
from okrcoach.orgs import services as org_services
from okrcoach.orgs.tests.factories import TEST_PASSWORD, MembershipFactory

LOGIN = "/accounts/login/"
RESET = "/accounts/password/reset/"


def attempt(email: str, password: str, ip: str, **headers: str) -> int:
    client = Client(REMOTE_ADDR=ip, **headers)
    return client.post(LOGIN, {"username": email, "password": password}).status_code


@pytest.mark.django_db
@override_settings(THROTTLE_LOGIN_FAILURES_PER_ADDRESS=20)
def test_credential_stuffing_from_one_address_is_refused_across_accounts(world: World) -> None:
    people = [MembershipFactory(organisation=world.org).user.email for _ in range(25)]
    # One guess per account (never enough for the per-account lock), 20 accounts.
    for email in people[:20]:
        assert attempt(email, "Winter2026!", ip="203.0.113.50") == 200
    # The 21st account from that address is refused, even with the right password…
    assert attempt(people[20], TEST_PASSWORD, ip="203.0.113.50") == 429
    # …while the same person elsewhere signs in.
    assert attempt(people[20], TEST_PASSWORD, ip="198.51.100.8") == 302


@pytest.mark.django_db
def test_a_victim_cannot_be_locked_out_by_failures_from_other_addresses(world: World) -> None:
    for i in range(30):
        attempt("max@acme.test", "guess", ip=f"203.0.113.{i + 1}")
    assert attempt("max@acme.test", TEST_PASSWORD, ip="198.51.100.9") == 302


@pytest.mark.django_db
def test_forwarded_headers_are_ignored_unless_configured(world: World) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert throttle.client_ip(request) == "10.0.0.2"
    with override_settings(CLIENT_IP_HEADER="X-Forwarded-For"):
        forged = RequestFactory().get(
            "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4"
        )
        # The right-most entry is the one the trusted proxy appended.
        assert throttle.client_ip(forged) == "1.2.3.4"


@pytest.mark.django_db
@override_settings(CLIENT_IP_HEADER="X-Real-IP")
def test_behind_the_proxy_each_client_is_locked_on_its_own(world: World) -> None:
    """All requests come from the proxy's address; the header tells the clients apart, so an
    attacker's failures do not lock the real user out."""
    for _ in range(5):
        attempt("max@acme.test", "guess", ip="10.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
    assert (
        attempt("max@acme.test", TEST_PASSWORD, ip="10.0.0.1", HTTP_X_REAL_IP="203.0.113.7") == 429
    )
    assert (
        attempt("max@acme.test", TEST_PASSWORD, ip="10.0.0.1", HTTP_X_REAL_IP="198.51.100.3") == 302
    )


@pytest.mark.django_db
@override_settings(THROTTLE_EMAILS_PER_ADDRESS=5, THROTTLE_EMAILS_PER_ACCOUNT=3)
def test_password_reset_emails_are_limited_per_account(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    for i in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            Client(REMOTE_ADDR=f"203.0.113.{i + 1}").post(RESET, {"email": "max@acme.test"})
    assert len([m for m in mail.outbox if "max@acme.test" in m.to]) == 3


@pytest.mark.django_db
@override_settings(THROTTLE_EMAILS_PER_ADDRESS=5, THROTTLE_EMAILS_PER_ACCOUNT=3)
def test_password_reset_requests_are_limited_per_address(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    people = [MembershipFactory(organisation=world.org).user.email for _ in range(7)]
    client = Client(REMOTE_ADDR="203.0.113.60")
    statuses = []
    for email in people:
        with django_capture_on_commit_callbacks(execute=True):
            statuses.append(client.post(RESET, {"email": email}).status_code)
    assert statuses == [302] * 5 + [429] * 2
    assert len(mail.outbox) == 5


@pytest.mark.django_db
@override_settings(THROTTLE_EMAILS_PER_ACCOUNT=3, THROTTLE_INVITATIONS_PER_ADMIN=4)
def test_invitation_emails_are_limited_per_address_and_per_admin(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    def invite(email: str) -> None:
        # One request each: its mail is sent when its own transaction commits.
        with django_capture_on_commit_callbacks(execute=True):
            org_services.invite_member(actor=world.admin, email=email)

    for _ in range(3):
        invite("new@acme.test")
    with pytest.raises(ValidationError) as exc:
        invite("new@acme.test")
    assert "email" in exc.value.message_dict
    invite("other@acme.test")
    with pytest.raises(ValidationError):
        invite("third@acme.test")
    assert len(mail.outbox) == 4
