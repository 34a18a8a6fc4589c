"""Joining by email domain: an installation setting (ALLOW_DOMAIN_JOIN) and an organisation's
list of domains; the emailed link proves the address before anyone becomes a member."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.test.utils import override_settings

from conftest import World
from okrcoach.accounts.models import User
from okrcoach.core.models import AuditEvent
from okrcoach.orgs.models import Invitation, Membership, Organisation, Role

LINK = re.compile(r"https?://\S+(/invitations/\S+/)")
PERSON = {"email": "Lena@Acme-Harbour.test", "full_name": "Lena Marsh"}
PASSWORD = "tide-tables-2026"


def _list_domains(org: Organisation, text: str = "acme-harbour.test") -> None:
    Organisation.objects.filter(pk=org.pk).update(join_domains=text)


def _ask(callbacks: Callable[..., Any], data: dict[str, str] = PERSON) -> Any:
    with callbacks(execute=True):
        return Client().post("/join/", data)


def _follow_link() -> Any:
    [message] = mail.outbox
    match = LINK.search(str(message.body))
    assert match is not None
    client = Client()
    return client, client.post(
        match.group(1),
        {"full_name": "Lena Marsh", "password1": PASSWORD, "password2": PASSWORD},
    )


def _member(org: Organisation) -> Membership | None:
    return Membership.objects.for_org(org).filter(user__email="lena@acme-harbour.test").first()


@override_settings(ALLOW_DOMAIN_JOIN=True)
def test_a_person_at_a_listed_domain_joins_as_a_member_after_following_the_link(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    _list_domains(world.org)
    response = _ask(django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "we have sent a link to lena@acme-harbour.test" in response.content.decode()
    assert _member(world.org) is None  # nothing before the address is proven
    assert "You asked to join Acme Test" in str(mail.outbox[0].body)
    client, accepted = _follow_link()
    assert accepted.status_code == 302
    member = _member(world.org)
    assert member is not None and member.role == Role.MEMBER and member.is_active
    assert client.get(f"/o/{world.org.slug}/").status_code == 200
    # The admin sees who joined, in words, in the audit log.
    event = AuditEvent.objects.for_org(world.org).get(action="orgs.member.joined_by_domain")
    assert event.data["email"] == "lena@acme-harbour.test"
    admin = Client()
    admin.force_login(world.admin.user)
    log = admin.get(f"/o/{world.org.slug}/admin/audit/").content.decode()
    assert "member joined by domain" in log and "lena@acme-harbour.test" in log


@override_settings(ALLOW_DOMAIN_JOIN=True)
def test_an_address_at_another_domain_is_refused_beside_the_email_field(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    _list_domains(world.org)
    response = _ask(
        django_capture_on_commit_callbacks,
        {"email": "lena@harbour-impostor.test", "full_name": "Lena Marsh"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "No organisation here lets people join from harbour-impostor.test" in body
    assert 'aria-invalid="true"' in body.split('name="email"')[1].split(">")[0] or (
        "id_email_error" in body or "email-error" in body
    )
    assert not Invitation.all_orgs.exists() and mail.outbox == []


@override_settings(ALLOW_DOMAIN_JOIN=True)
def test_a_public_mail_provider_is_never_a_join_domain(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    admin = Client()
    admin.force_login(world.admin.user)
    response = admin.post(
        f"/o/{world.org.slug}/admin/settings/",
        {
            "name": world.org.name,
            "cycle_length_months": 3,
            "cycle_start_month": 1,
            "check_in_cadence_days": 7,
            "join_domains": "acme-harbour.test, gmail.com",
        },
    )
    assert response.status_code == 200
    assert "gmail.com is a public mail provider" in response.content.decode()
    world.org.refresh_from_db()
    assert world.org.join_domains == ""
    # Even listed behind the form's back, a public provider's address joins nothing.
    _list_domains(world.org, "gmail.com")
    refused = _ask(
        django_capture_on_commit_callbacks, {"email": "lena@gmail.com", "full_name": "Lena"}
    )
    assert "public mail provider" in refused.content.decode()
    assert not Invitation.all_orgs.exists()


@override_settings(ALLOW_DOMAIN_JOIN=True)
def test_the_admin_lists_domains_on_the_settings_page(world: World) -> None:
    admin = Client()
    admin.force_login(world.admin.user)
    response = admin.post(
        f"/o/{world.org.slug}/admin/settings/",
        {
            "name": world.org.name,
            "cycle_length_months": 3,
            "cycle_start_month": 1,
            "check_in_cadence_days": 7,
            "join_domains": "@Acme-Harbour.test,\nacme-labs.test",
        },
    )
    assert response.status_code == 302
    world.org.refresh_from_db()
    assert world.org.join_domains == "acme-harbour.test acme-labs.test"
    # Another organisation cannot claim the same domain.
    _list_domains(world.other_org, "")
    from okrcoach.orgs import services

    with pytest.raises(Exception, match="listed by another organisation"):
        services.update_organisation_settings(
            actor=world.outsider,
            name="Other Org",
            cycle_length_months=3,
            cycle_start_month=1,
            check_in_cadence_days=7,
            rollup_includes_children=False,
            join_domains="acme-labs.test",
        )


@override_settings(ALLOW_DOMAIN_JOIN=False)
def test_with_the_installation_setting_off_nobody_joins_by_domain(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    _list_domains(world.org)
    assert Client().get("/join/").status_code == 404
    assert _ask(django_capture_on_commit_callbacks).status_code == 404
    assert not Invitation.all_orgs.exists()
    assert "Join with your work email" not in Client().get("/accounts/login/").content.decode()


def test_a_link_asked_for_while_on_stops_working_once_the_setting_is_off(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    _list_domains(world.org)
    with override_settings(ALLOW_DOMAIN_JOIN=True):
        _ask(django_capture_on_commit_callbacks)
    with override_settings(ALLOW_DOMAIN_JOIN=False):
        _client, response = _follow_link()
    assert response.status_code == 200
    assert "no longer lets people join by email domain" in response.content.decode()
    assert _member(world.org) is None


@override_settings(ALLOW_DOMAIN_JOIN=True)
def test_another_organisation_is_unaffected(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    _list_domains(world.org)
    _ask(django_capture_on_commit_callbacks)
    _follow_link()
    assert _member(world.org) is not None
    assert _member(world.other_org) is None
    assert not Invitation.all_orgs.filter(organisation=world.other_org).exists()
    assert (
        not AuditEvent.objects.for_org(world.other_org)
        .filter(action__startswith="orgs.member")
        .exists()
    )


@override_settings(ALLOW_DOMAIN_JOIN=True)
def test_an_unverified_address_gets_nothing(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    _list_domains(world.org)
    _ask(django_capture_on_commit_callbacks)
    assert _member(world.org) is None
    # Guessing at the link does not work: only the emailed token does (its hash is stored).
    response = Client().post(
        "/invitations/not-the-emailed-token/",
        {"full_name": "Mallory", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 404
    assert _member(world.org) is None
    # Nor can someone sign in with the address: no account exists before the link is followed.
    assert not User.objects.filter(email="lena@acme-harbour.test").exists()
