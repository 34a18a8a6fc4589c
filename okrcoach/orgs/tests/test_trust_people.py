"""Issue 10 (Trust), the people side: another organisation's admin cannot enrol your people
(problem 1), job titles are per organisation (2), people added by the import can sign in (8),
and mail queued by id holds no secret and is retried (9)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from conftest import World
from okrcoach.core.models import AuditEvent
from okrcoach.core.tests.smtp import body_of, smtp_server
from okrcoach.orgs import importing, services
from okrcoach.orgs.models import Invitation, Membership
from okrcoach.orgs.tests.factories import TEST_PASSWORD, MembershipFactory

HEADER = b"email,full_name,title,role,team,manager_email\n"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LINK = re.compile(r"http://testserver(/\S+)")
NEW_PASSWORD = "a fresh passphrase 77"


# --- 1: an import naming someone else's person invites them; it never enrols them ----------


def test_an_import_naming_another_organisations_person_only_invites_them(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    outsider = world.outsider
    outsider.title = "Head of Support"
    outsider.save()
    outsider.user.full_name = "Olive Outsider"
    outsider.user.save()
    data = HEADER + b"%s,Someone Else,Intern,admin,Support,\n" % outsider.user.email.encode()
    with django_capture_on_commit_callbacks(execute=True):
        result = importing.import_people_csv(actor=world.admin, data=data)
    assert (result.created, result.invitations) == (0, 1)
    assert not Membership.objects.for_org(world.org).filter(user=outsider.user).exists()
    invitation = Invitation.objects.for_org(world.org).get(email=outsider.user.email)
    assert invitation.is_pending and invitation.title == "Intern"
    outsider.refresh_from_db()
    outsider.user.refresh_from_db()
    assert outsider.display_title == "Head of Support"
    assert outsider.user.full_name != "Someone Else"
    assert [m.to for m in mail.outbox] == [[outsider.user.email]]
    # Importing again changes nothing of theirs either.
    importing.import_people_csv(actor=world.admin, data=data)
    assert not Membership.objects.for_org(world.org).filter(user=outsider.user).exists()


def test_the_invited_person_joins_only_by_accepting_with_the_imported_title(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    outsider = world.outsider
    data = HEADER + b"%s,Someone Else,Intern,member,Support,\n" % outsider.user.email.encode()
    with django_capture_on_commit_callbacks(execute=True):
        importing.import_people_csv(actor=world.admin, data=data)
    link = LINK.search(mail.outbox[0].body)
    assert link is not None
    client = Client()
    client.force_login(outsider.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link.group(1))
    joined = Membership.objects.for_org(world.org).get(user=outsider.user)
    assert joined.is_active and joined.title == "Intern"


def test_a_row_managed_by_an_invited_person_is_refused(world: World) -> None:
    data = (
        HEADER
        + b"%s,Someone Else,,member,,\n" % world.outsider.user.email.encode()
        + b"new@acme.test,New Person,,member,,%s\n" % world.outsider.user.email.encode()
    )
    with pytest.raises(importing.ImportRejected) as caught:
        importing.import_people_csv(actor=world.admin, data=data)
    assert [(e.line, e.field) for e in caught.value.errors] == [(3, "manager_email")]


def test_sign_ins_are_audited_only_where_the_person_is_an_active_member(world: World) -> None:
    user = world.member.user
    gone = MembershipFactory(organisation=world.other_org, user=user)
    Membership.objects.for_org(world.other_org).filter(pk=gone.pk).update(is_active=False)
    Client(REMOTE_ADDR="10.1.2.3").post(
        "/accounts/login/", {"username": user.email, "password": TEST_PASSWORD}
    )
    Client(REMOTE_ADDR="10.1.2.3").post(
        "/accounts/login/", {"username": user.email, "password": "not the password"}
    )
    elsewhere = AuditEvent.all_orgs.filter(
        organisation=world.other_org, action__startswith="accounts.sign_in"
    )
    assert not elsewhere.exists()
    here = AuditEvent.all_orgs.filter(organisation=world.org, action__startswith="accounts.sign_in")
    assert sorted(here.values_list("action", "ip_address")) == [
        ("accounts.sign_in.failed", "10.1.2.3"),
        ("accounts.sign_in.succeeded", "10.1.2.3"),
    ]


def test_the_ip_address_goes_only_to_the_organisation_signed_into(world: World) -> None:
    user = world.member.user
    MembershipFactory(organisation=world.other_org, user=user)
    Client(REMOTE_ADDR="10.9.8.7").post(
        "/accounts/login/",
        {"username": user.email, "password": TEST_PASSWORD, "next": "/o/other/"},
    )
    rows = dict(
        AuditEvent.all_orgs.filter(action="accounts.sign_in.succeeded").values_list(
            "organisation__slug", "ip_address"
        )
    )
    assert rows == {"other": "10.9.8.7", "acme": None}


# --- 2: the job title belongs to each organisation -------------------------------------------


def test_an_admin_sets_the_title_only_in_their_own_organisation(world: World) -> None:
    user = world.member.user
    user.title = "Support Engineer"
    user.save()
    elsewhere = MembershipFactory(organisation=world.other_org, user=user, title="Volunteer")
    client = Client()
    client.force_login(world.admin.user)
    response = client.post(
        reverse("orgs:edit_member", args=["acme", world.member.public_id]),
        {"title": "Team Lead", "role": "member", "team": world.team.pk, "manager": ""},
    )
    assert response.status_code == 302, response.content
    world.member.refresh_from_db()
    elsewhere.refresh_from_db()
    user.refresh_from_db()
    assert world.member.display_title == "Team Lead"
    assert elsewhere.display_title == "Volunteer"
    assert user.title == "Support Engineer"


def test_an_import_updating_a_member_changes_only_this_organisations_title(world: World) -> None:
    user = world.member.user
    elsewhere = MembershipFactory(organisation=world.other_org, user=user, title="Volunteer")
    data = HEADER + b"max@acme.test,Max Member,Night Shift Lead,member,Support,\n"
    importing.import_people_csv(actor=world.admin, data=data)
    world.member.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (world.member.title, elsewhere.title) == ("Night Shift Lead", "Volunteer")


# --- 8: people added by the import can sign in ------------------------------------------------


def test_a_person_added_by_the_import_accepts_the_invitation_and_signs_in(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    data = HEADER + b"nova@acme.test,Nova Newcomer,Analyst,member,Support,mia@acme.test\n"
    with django_capture_on_commit_callbacks(execute=True):
        importing.import_people_csv(actor=world.admin, data=data)
    link = LINK.search(mail.outbox[0].body)
    assert link is not None
    response = Client().post(
        link.group(1),
        {"full_name": "Nova Newcomer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    signed_in = Client().post(
        "/accounts/login/", {"username": "nova@acme.test", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    member = Membership.objects.for_org(world.org).get(user__email="nova@acme.test")
    assert member.is_active and member.title == "Analyst"


def test_a_person_added_by_the_import_can_choose_a_password_by_reset(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    data = HEADER + b"nova@acme.test,Nova Newcomer,,member,Support,\n"
    importing.import_people_csv(actor=world.admin, data=data, send_invitations=False)
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/accounts/password/reset/", {"email": "nova@acme.test"})
    assert [m.to for m in mail.outbox] == [["nova@acme.test"]]
    link = LINK.search(mail.outbox[0].body)
    assert link is not None
    client = Client()
    form_url = client.get(link.group(1), follow=True).redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert (
        Client()
        .post("/accounts/login/", {"username": "nova@acme.test", "password": NEW_PASSWORD})
        .status_code
        == 302
    )


# --- 9: mail is queued by id, rendered at send time, retried -----------------------------------


@pytest.mark.django_db(transaction=True)
def test_queued_mail_holds_no_link_and_the_sent_link_works(world: World) -> None:
    with (
        smtp_server() as (port, inbox),
        override_settings(
            TASKS=DB_TASKS,
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
        ),
    ):
        services.invite_member(actor=world.admin, email="newcomer@acme.test")
        Client().post("/accounts/password/reset/", {"email": "max@acme.test"})
        stored = " ".join(str(t.args_kwargs) for t in DBTaskResult.objects.all())
        assert "://" not in stored and "/invitations/" not in stored
        assert "/password/reset/" not in stored and "text" not in stored
        call_command("run_worker", "--batch", "--no-startup-delay", verbosity=0)
        assert len(inbox) == 2
    links = [LINK.search(body_of(m)) for m in inbox]
    invitation_link = next(m.group(1) for m in links if m and "/invitations/" in m.group(1))
    page = Client().get(invitation_link)
    assert page.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_failed_email_is_retried_later_and_then_delivered(world: World) -> None:
    with smtp_server() as (port, inbox):
        dead = port + 1 if port < 65000 else port - 1
        with override_settings(
            TASKS=DB_TASKS,
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=dead,
            EMAIL_TIMEOUT=2,
            EMAIL_RETRY_DELAY_SECONDS=0,
        ):
            services.invite_member(actor=world.admin, email="newcomer@acme.test")
            call_command(
                "run_worker", "--batch", "--no-startup-delay", "--max-tasks", "1", verbosity=0
            )
        first, retry = DBTaskResult.objects.order_by("enqueued_at")
        assert first.status == "FAILED" and retry.status == "READY"
        assert retry.args_kwargs["kwargs"]["attempt"] == 2
        with override_settings(
            TASKS=DB_TASKS,
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
        ):
            call_command("run_worker", "--batch", "--no-startup-delay", verbosity=0)
        assert len(inbox) == 1


def test_without_invitations_only_people_with_an_account_elsewhere_are_invited(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    data = (
        HEADER
        + b"%s,Someone Else,,member,,\n" % world.outsider.user.email.encode()
        + b"nova@acme.test,Nova Newcomer,,member,,\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = importing.import_people_csv(actor=world.admin, data=data, send_invitations=False)
    assert (result.created, result.invitations) == (1, 1)
    assert [m.to for m in mail.outbox] == [[world.outsider.user.email]]
