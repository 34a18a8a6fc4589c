"""The weekly digest: once per ISO week, bounded queries per batch, privacy, HTML and text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core import mail
from django.test import override_settings

from conftest import World
from okrcoach.comms import digest
from okrcoach.comms.models import DigestSent
from okrcoach.okrs.services.check_ins import CheckInData, record_check_in
from okrcoach.okrs.tests.factories import KeyResultFactory
from okrcoach.orgs.models import Membership
from okrcoach.orgs.tests.factories import MembershipFactory

from .helpers import comment_on, key_result, objective

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
LOCMEM = {
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "SITE_URL": "https://okr.example.test",
}


def _to(address: str) -> mail.EmailMessage:
    return next(m for m in mail.outbox if m.to == [address])


@override_settings(**LOCMEM)
def test_the_digest_goes_once_per_iso_week_even_if_the_task_runs_twice(world: World) -> None:
    key_result(world.member, title="Ship the onboarding survey")
    first = digest.send_weekly_digests(organisation_id=world.org.pk, today=TODAY)
    again = digest.send_weekly_digests(organisation_id=world.org.pk, today=TODAY)
    assert first >= 1 and again == 0
    assert [m.to for m in mail.outbox].count(["max@acme.test"]) == 1
    message = _to("max@acme.test")
    assert "Ship the onboarding survey" in message.body
    html = message.alternatives[0][0]
    assert 'name="viewport"' in html and "max-width:600px" in html
    assert "https://okr.example.test/o/acme/okrs/" in html  # the site's configured address
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    next_week = TODAY + dt.timedelta(days=7)
    assert digest.send_weekly_digests(organisation_id=world.org.pk, today=next_week) >= 1


@override_settings(**LOCMEM)
def test_the_digest_lists_mentions_and_team_changes_but_never_a_private_objective(
    world: World,
) -> None:
    secret = key_result(world.manager, private=True, title="Quietly renegotiate the lease")
    public = KeyResultFactory(
        objective=objective(world.manager, team=world.team), title="Support replies within a day"
    )
    for kr in (secret, public):
        record_check_in(
            actor=world.manager, key_result=kr, data=CheckInData(value=Decimal(1), confidence=2)
        )
    key_result(world.manager, private=True, title="Quietly renegotiate the lease, part two")
    comment_on(world.manager, public, "@pat could you help here?")
    digest.send_weekly_digests(organisation_id=world.org.pk, today=TODAY)
    peer = _to("pat@acme.test").body
    assert "could you help here?" in peer
    assert "Support replies within a day" in peer  # flagged at risk in the team
    assert "Quietly renegotiate" not in peer
    # Only its owner's "what you owe" names the private key result.
    for m in mail.outbox:
        text = str(m.body) + str(m.alternatives[0][0])
        assert ("Quietly renegotiate the lease, part two" in text) == (m.to == ["mia@acme.test"])
        assert "Quietly renegotiate the lease\n" not in m.body


@override_settings(**LOCMEM)
def test_switched_off_and_deactivated_people_get_no_digest(world: World) -> None:
    key_result(world.member)
    key_result(world.peer)
    world.member.user.notification_preferences = {"weekly_digest": False}
    world.member.user.save()
    Membership.objects.for_org(world.org).filter(pk=world.peer.pk).update(is_active=False)
    digest.send_weekly_digests(organisation_id=world.org.pk, today=TODAY)
    assert not any(m.to in (["max@acme.test"], ["pat@acme.test"]) for m in mail.outbox)


@pytest.mark.parametrize("people", [5, 40])
@override_settings(**LOCMEM)
def test_a_batch_costs_the_same_queries_whatever_its_size(
    world: World, people: int, assert_queries: Callable[[int], object]
) -> None:
    for _ in range(people):
        key_result(MembershipFactory(organisation=world.org, team=world.team))
    members = list(
        Membership.objects.for_org(world.org).filter(is_active=True).select_related("user")
    )
    # savepoint, already sent, mark sent, release, what you owe (okrs), academy items due
    # (academy), mentions, team changes: 8.
    with assert_queries(8):
        sent = digest.send_batch(world.org, members, TODAY)
    assert sent == people
    assert DigestSent.objects.for_org(world.org).count() == len(members)
