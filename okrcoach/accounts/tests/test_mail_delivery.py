"""Mail leaves through real SMTP, sent by the real task worker."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django_tasks_db.models import DBTaskResult

from conftest import World
from okrcoach.core.tests.smtp import body_of, smtp_server
from okrcoach.orgs import services

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def smtp_settings(port: int) -> dict[str, object]:
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "TASKS": DB_TASKS,
    }


@pytest.mark.django_db(transaction=True)
def test_password_reset_mail_is_queued_and_the_worker_delivers_it_over_smtp(world: World) -> None:
    with smtp_server() as (port, inbox), override_settings(**smtp_settings(port)):
        response = Client().post("/accounts/password/reset/", {"email": "max@acme.test"})
        assert response.status_code == 302
        assert inbox == []  # queued, not sent inside the request
        assert DBTaskResult.objects.filter(status="READY").count() == 1
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        assert len(inbox) == 1
    message = inbox[0]
    assert message["To"] == "max@acme.test"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", body_of(message))
    assert link is not None
    # The emailed link really resets the password.
    client = Client()
    form_url = client.get(link.group(1), follow=True).redirect_chain[-1][0]
    done = client.post(
        form_url, {"new_password1": "brand-new-pass-42", "new_password2": "brand-new-pass-42"}
    )
    assert done.status_code == 302
    world.member.user.refresh_from_db()
    assert world.member.user.check_password("brand-new-pass-42")


@pytest.mark.django_db(transaction=True)
def test_an_invitation_is_delivered_over_smtp_by_the_worker(world: World) -> None:
    with smtp_server() as (port, inbox), override_settings(**smtp_settings(port)):
        services.invite_member(actor=world.admin, email="newcomer@acme.test")
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert len(inbox) == 1
    assert "Acme Test" in str(inbox[0]["Subject"])
    assert "/invitations/" in body_of(inbox[0])


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_invitation_sends_nothing(world: World) -> None:
    from django.db import transaction

    with smtp_server() as (port, inbox), override_settings(**smtp_settings(port)):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.invite_member(actor=world.admin, email="ghost@acme.test")
            raise RuntimeError("the surrounding operation failed")
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert inbox == []
