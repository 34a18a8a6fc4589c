"""First run: the one-time setup form of an empty installation, self-service sign-up (an
installation setting) and the site operator's list of organisations."""

from __future__ import annotations

import pytest
from django.test import Client
from django.test.utils import override_settings

from okrcoach.accounts.models import User
from okrcoach.orgs.models import Membership, Organisation, Role, Team
from okrcoach.orgs.tests.factories import OrganisationFactory, UserFactory

FORM = {
    "organisation_name": "Harbour Bakery",
    "slug": "",
    "full_name": "Ines Costa",
    "email": "Ines@Harbour.test",
    "password1": "flour-and-salt-2026",
    "password2": "flour-and-salt-2026",
}


@pytest.mark.django_db
def test_an_empty_installation_sends_visitors_to_the_setup_form() -> None:
    response = Client().get("/")
    assert response.status_code == 302 and response["Location"] == "/setup/"
    assert "Set up okrcoach" in Client().get("/setup/").content.decode()


@pytest.mark.django_db
def test_the_setup_form_creates_the_organisation_and_its_admin_and_signs_her_in() -> None:
    client = Client()
    response = client.post("/setup/", FORM)
    org = Organisation.objects.get()
    assert org.name == "Harbour Bakery" and org.slug == "harbour-bakery"
    assert response.status_code == 302 and response["Location"] == f"/o/{org.slug}/"
    admin = Membership.objects.for_org(org).select_related("user").get()
    assert admin.role == Role.ADMIN and admin.user.email == "ines@harbour.test"
    assert admin.user.check_password("flour-and-salt-2026")
    assert Team.objects.for_org(org).get().kind == Team.Kind.COMPANY
    assert client.get(f"/o/{org.slug}/").status_code == 200


@pytest.mark.django_db
def test_the_setup_form_is_offered_once() -> None:
    OrganisationFactory()
    assert Client().get("/setup/").status_code == 404
    assert Client().post("/setup/", FORM).status_code == 404
    assert Client().get("/")["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_setup_refuses_a_taken_email_beside_the_field_and_writes_nothing() -> None:
    UserFactory(email="ines@harbour.test")
    response = Client().post("/setup/", FORM)
    assert response.status_code == 200
    assert "An account with this email exists" in response.content.decode()
    assert not Organisation.objects.exists() and User.objects.count() == 1


@pytest.mark.django_db
def test_self_service_sign_up_is_off_unless_the_installation_allows_it() -> None:
    OrganisationFactory()
    assert Client().get("/signup/").status_code == 404
    assert "Start your organisation" not in Client().get("/accounts/login/").content.decode()
    with override_settings(ALLOW_ORGANISATION_SIGNUP=True):
        assert "Start your organisation" in Client().get("/accounts/login/").content.decode()
        response = Client().post("/signup/", {**FORM, "slug": "harbour"})
        assert response.status_code == 302 and response["Location"] == "/o/harbour/"
    assert Organisation.objects.count() == 2


@pytest.mark.django_db
def test_staff_see_every_organisation_in_the_site_admin_and_others_do_not() -> None:
    OrganisationFactory(name="Harbour Bakery", slug="harbour")
    OrganisationFactory(name="Quarry Tools", slug="quarry")
    staff = UserFactory(email="op@site.test", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    body = client.get("/site-admin/orgs/organisation/").content.decode()
    assert "Harbour Bakery" in body and "Quarry Tools" in body
    member = Client()
    member.force_login(UserFactory(email="someone@site.test"))
    assert member.get("/site-admin/orgs/organisation/").status_code == 302  # to admin sign-in


@pytest.mark.django_db
def test_the_audit_log_reads_in_words_not_code() -> None:
    from okrcoach.core.models import AuditEvent

    event = AuditEvent(action="academy.assignment.created")
    assert event.action_label == "Academy: assignment created"
    assert AuditEvent(action="okrs.check_in.recorded").action_label == "OKRs: check in recorded"


@pytest.mark.django_db(transaction=True)
def test_plain_text_emails_carry_no_html_entities() -> None:
    from django.core import mail

    from okrcoach.core.mail import queue_templated_email

    org = OrganisationFactory(name="O'Brien & Daughters")
    queue_templated_email(
        to="x@example.test",
        template="orgs/email/invitation",
        context={"organisation": org, "inviter": None, "url": "http://x/", "days": 14},
    )
    message = mail.outbox[-1]
    assert "O'Brien & Daughters" in message.body and "O'Brien & Daughters" in message.subject
    assert "&#x27;" not in f"{message.body} {message.subject}" and "&amp;" not in message.body
