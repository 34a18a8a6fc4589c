"""Notification email through a real SMTP server on loopback, sent by the real task worker."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from conftest import World
from okrcoach.comms import services
from okrcoach.core.tests.smtp import body_of, smtp_server

from .helpers import comment_on, key_result, kr_target

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def smtp_settings(port: int) -> dict[str, object]:
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "TASKS": DB_TASKS,
        "SITE_URL": "https://okr.example.test",
    }


def work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_reply_reaches_the_member_by_email_with_a_one_click_unsubscribe(world: World) -> None:
    with smtp_server() as (port, inbox), override_settings(**smtp_settings(port)):
        kr = key_result(world.member)
        first = comment_on(world.member, kr, "Could you check the baseline, @mia?")
        services.post_comment(
            actor=world.manager,
            target=kr_target(world.manager, kr),
            body="Checked: the baseline holds.",
            parent=first,
        )
        assert inbox == []  # queued, not sent inside the request
        work()
        by_to = {m["To"]: m for m in inbox}
        assert set(by_to) == {"mia@acme.test", "max@acme.test"}
        reply = by_to["max@acme.test"]
        assert "Mia Manager commented on" in str(reply["Subject"])
        body = body_of(reply)
        assert "Checked: the baseline holds." in body
        assert "https://okr.example.test/o/acme/notifications/" in body  # the site's address
        assert reply["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        header = "".join(str(reply["List-Unsubscribe"]).split())  # unfold the long header
        link = re.match(r"<https://okr\.example\.test(\S+)>", header)
        assert link is not None
        # The mail client's one-click POST: no session, no CSRF token.
        response = Client(enforce_csrf_checks=True).post(
            link.group(1), {"List-Unsubscribe": "One-Click"}
        )
        assert response.status_code == 200
        world.member.user.refresh_from_db()
        assert world.member.user.wants_email("mentions") is False
        inbox.clear()
        services.post_comment(
            actor=world.manager,
            target=kr_target(world.manager, kr),
            body="One more thing.",
            parent=first,
        )
        work()
        assert inbox == []  # switched off: the inbox has it, email does not


@pytest.mark.django_db(transaction=True)
def test_a_deactivated_person_gets_no_email(world: World) -> None:
    with smtp_server() as (port, inbox), override_settings(**smtp_settings(port)):
        kr = key_result(world.member)
        world.manager.user.is_active = False
        world.manager.user.save()
        comment_on(world.member, kr, "@mia are you there?")
        work()
    assert inbox == []


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_comment_sends_nothing(world: World) -> None:
    from django.db import transaction

    with smtp_server() as (port, inbox), override_settings(**smtp_settings(port)):
        kr = key_result(world.member)
        with pytest.raises(RuntimeError), transaction.atomic():
            comment_on(world.member, kr, "@mia never mind")
            raise RuntimeError("the surrounding operation failed")
        work()
    assert inbox == []
