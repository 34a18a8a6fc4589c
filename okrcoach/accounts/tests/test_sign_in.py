from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World
from okrcoach.core.models import AuditEvent
from okrcoach.orgs.tests.factories import TEST_PASSWORD

LOGIN = "/accounts/login/"


def attempt(email: str, password: str, ip: str = "10.0.0.1") -> int:
    return Client(REMOTE_ADDR=ip).post(LOGIN, {"username": email, "password": password}).status_code


@pytest.mark.django_db
def test_a_person_signs_in_with_email_and_lands_in_their_organisation(world: World) -> None:
    client = Client()
    response = client.post(
        LOGIN, {"username": "MAX@acme.test", "password": TEST_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("orgs:home", kwargs={"org_slug": "acme"})
    assert (
        AuditEvent.objects.for_org(world.org).filter(action="accounts.sign_in.succeeded").exists()
    )


@pytest.mark.django_db
def test_a_wrong_password_says_so_and_is_audited(world: World) -> None:
    response = Client().post(LOGIN, {"username": "max@acme.test", "password": "wrong"})
    assert "do not match an account" in response.content.decode()
    assert AuditEvent.objects.for_org(world.org).filter(action="accounts.sign_in.failed").exists()


@pytest.mark.django_db
def test_brute_force_locks_the_email_and_address_pair_but_not_the_real_user_elsewhere(
    world: World,
) -> None:
    for _ in range(5):
        attempt("max@acme.test", "guess", ip="203.0.113.9")
    # Sixth try from the attacker's address is refused even with the right password…
    assert attempt("max@acme.test", TEST_PASSWORD, ip="203.0.113.9") == 429
    # …while the real user on another address still signs in.
    assert attempt("max@acme.test", TEST_PASSWORD, ip="198.51.100.7") == 302


@pytest.mark.django_db
def test_sign_out_needs_a_post_and_ends_the_session(world: World) -> None:
    client = Client()
    client.force_login(world.member.user)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/o/acme/").status_code == 302
