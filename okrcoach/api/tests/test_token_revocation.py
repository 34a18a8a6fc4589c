"""Issue 10, problem 15: API tokens stop working when their person's password changes (reset
link or change form) or when an admin deactivates them, and a reactivation does not revive
them."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from conftest import World
from okrcoach.api.models import ApiToken
from okrcoach.api.services import create_api_token
from okrcoach.core.models import AuditEvent
from okrcoach.orgs.services import deactivate_member, reactivate_member
from okrcoach.orgs.tests.factories import MembershipFactory

NEW_PASSWORD = "a long new passphrase 42"


def _works(raw: str) -> bool:
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    return response.status_code == 200


def test_a_password_reset_revokes_every_token_of_the_person(world: World) -> None:
    user = world.member.user
    elsewhere = MembershipFactory(organisation=world.other_org, user=user)
    _t1, here = create_api_token(membership=world.member, name="laptop")
    _t2, there = create_api_token(membership=elsewhere, name="script")
    _t3, bystander = create_api_token(membership=world.peer, name="peer")
    assert _works(here) and _works(there)
    client = Client()
    url = reverse(
        "accounts:password_reset_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    set_password_url = client.get(url)["Location"]
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302, response.content
    assert not _works(here) and not _works(there)
    assert _works(bystander)
    assert AuditEvent.all_orgs.filter(
        action="accounts.api_token.revoked", organisation=world.other_org
    ).exists()


def test_a_password_change_revokes_the_persons_tokens(world: World) -> None:
    user = world.member.user
    user.set_password("the old passphrase 1")
    user.save()
    _token, raw = create_api_token(membership=world.member, name="laptop")
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "the old passphrase 1",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert not _works(raw)


def test_tokens_do_not_come_back_when_a_person_is_reactivated(world: World) -> None:
    token, raw = create_api_token(membership=world.member, name="laptop")
    deactivate_member(actor=world.admin, member=world.member)
    assert not _works(raw)
    reactivate_member(actor=world.admin, member=world.member)
    assert not _works(raw)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.objects.filter(user=world.member.user, revoked_at__isnull=True).count() == 0


def test_a_revoked_token_fails_on_the_very_next_request(world: World) -> None:
    """Token auth is one query per request, never cached across requests: a revocation, a role
    change or a deactivated account takes effect on the next call, in every worker."""
    from okrcoach.api.services import revoke_api_token

    token, raw = create_api_token(membership=world.member, name="laptop")
    client = Client()
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 200
    revoke_api_token(membership=world.member, token=token)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_a_deactivated_account_or_membership_stops_the_token_at_once(world: World) -> None:
    _token, raw = create_api_token(membership=world.peer, name="script")
    assert _works(raw)
    world.peer.user.is_active = False
    world.peer.user.save(update_fields=["is_active"])
    assert not _works(raw)
    world.peer.user.is_active = True
    world.peer.user.save(update_fields=["is_active"])
    assert _works(raw)
    type(world.peer).objects.for_org(world.org).filter(pk=world.peer.pk).update(is_active=False)
    assert not _works(raw)
