"""Feedback requests, feedback given and action items reach the named person through comms: an
inbox notification, and an email (real SMTP on loopback, real task worker) unless their
profile switch is off."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from okrcoach.comms.models import Kind, Notification
from okrcoach.comms.selectors import inbox
from okrcoach.core.tests.smtp import body_of, smtp_server
from okrcoach.growth import services
from okrcoach.growth.models import Feedback
from okrcoach.orgs.models import Membership

from .conftest import Cast, make_series


def smtp_settings(port: int) -> dict[str, object]:
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "TASKS": {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
        "SITE_URL": "https://okr.example.test",
    }


def work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def notes_of(member: Membership) -> list[Notification]:
    return list(inbox(member))


@pytest.mark.django_db
def test_a_feedback_request_notifies_the_named_colleague_only(cast: Cast) -> None:
    fr = services.request_feedback(
        actor=cast.person, about=cast.person, respondent=cast.peer, message="How was my demo?"
    )
    [n] = notes_of(cast.peer)
    assert n.kind == Kind.FEEDBACK_REQUEST
    assert n.title == "Max Member asked you for feedback"
    assert n.excerpt == "How was my demo?"
    assert n.url.endswith(f"/growth/feedback/give/?request={fr.public_id}")
    assert notes_of(cast.person) == [] and notes_of(cast.manager) == []


@pytest.mark.django_db
def test_feedback_given_notifies_the_person_without_its_words(cast: Cast) -> None:
    services.give_feedback(
        actor=cast.peer,
        recipient=cast.person,
        body="SECRET-WORDS your handover was clear",
        kind=Feedback.Kind.PRAISE,
    )
    [n] = notes_of(cast.person)
    assert n.kind == Kind.FEEDBACK
    assert n.title == "Pat Peer praised you"
    assert "SECRET-WORDS" not in n.title + n.excerpt
    assert notes_of(cast.peer) == []  # the giver is never told of their own feedback


@pytest.mark.django_db
def test_answering_a_request_notifies_the_person_it_is_about(cast: Cast) -> None:
    fr = services.request_feedback(
        actor=cast.person, about=cast.person, respondent=cast.peer, message="My demo?"
    )
    services.give_feedback(actor=cast.peer, recipient=cast.person, body="Clear.", request=fr)
    assert [n.kind for n in notes_of(cast.person)] == [Kind.FEEDBACK]


@pytest.mark.django_db
def test_an_action_item_notifies_the_other_party_not_its_author(cast: Cast) -> None:
    _series, meeting = make_series(cast)
    services.add_action_item(
        actor=cast.manager, meeting=meeting, text="Book the room", owner=cast.person
    )
    services.add_action_item(
        actor=cast.manager, meeting=meeting, text="Send notes", owner=cast.manager
    )
    [n] = notes_of(cast.person)
    assert n.kind == Kind.ACTION_ITEM
    assert n.title == "Mia Manager gave you a 1:1 action item"
    assert n.excerpt == "Book the room"
    assert n.url.endswith(f"/growth/meetings/{meeting.public_id}/")
    assert notes_of(cast.manager) == []


@pytest.mark.django_db
def test_growth_targets_open_no_comment_thread(cast: Cast) -> None:
    fr = services.request_feedback(
        actor=cast.person, about=cast.person, respondent=cast.peer, message="My demo?"
    )
    client = Client()
    client.force_login(cast.peer.user)
    url = reverse(
        "comms:thread",
        kwargs={
            "org_slug": cast.world.org.slug,
            "kind": "growth_feedback_request",
            "target_id": fr.public_id,
        },
    )
    assert client.get(url).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_email_follows_the_persons_switch(cast: Cast) -> None:
    with smtp_server() as (port, mail), override_settings(**smtp_settings(port)):
        services.request_feedback(
            actor=cast.person, about=cast.person, respondent=cast.peer, message="My demo?"
        )
        _series, meeting = make_series(cast)
        services.add_action_item(
            actor=cast.manager, meeting=meeting, text="Book the room", owner=cast.person
        )
        assert mail == []  # queued, not sent inside the request
        work()
        by_to = {m["To"]: m for m in mail}
        assert set(by_to) == {"pat@acme.test", "max@acme.test"}
        assert "Max Member asked you for feedback" in str(by_to["pat@acme.test"]["Subject"])
        assert "My demo?" in body_of(by_to["pat@acme.test"])
        assert "Book the room" in body_of(by_to["max@acme.test"])
        mail.clear()

        user = cast.peer.user
        user.notification_preferences = {"mentions": False}
        user.save()
        services.request_feedback(
            actor=cast.person, about=cast.person, respondent=cast.peer, message="And the retro?"
        )
        work()
        assert mail == []  # the switch is off: the inbox has it, email does not
        assert len(notes_of(cast.peer)) == 2
