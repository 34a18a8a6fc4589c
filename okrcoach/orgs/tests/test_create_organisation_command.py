from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from okrcoach.accounts.models import User
from okrcoach.core.models import AuditEvent
from okrcoach.orgs.models import Invitation, Membership, Organisation, Role, Team
from okrcoach.orgs.tests.factories import OrganisationFactory, UserFactory


def create(*args: str) -> str:
    out = StringIO()
    call_command("create_organisation", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_new_organisation_gets_its_company_team_and_its_first_admin_an_invitation() -> None:
    out = create("Northwind Ltd", "--slug", "northwind", "--admin-email", "Ana@Northwind.test")
    org = Organisation.objects.get(slug="northwind")
    assert org.name == "Northwind Ltd"
    assert Team.objects.for_org(org).get().kind == Team.Kind.COMPANY
    assert not Membership.objects.for_org(org).exists()  # until the invitation is accepted
    assert AuditEvent.objects.for_org(org).filter(action="orgs.organisation.created").exists()
    invitation = Invitation.objects.for_org(org).get()
    assert invitation.email == "ana@northwind.test" and invitation.role == Role.ADMIN

    # The link lives only in the email: the worker issues it when it sends.
    assert "/invitations/" not in out
    [email] = mail.outbox
    assert email.to == ["ana@northwind.test"]
    link = re.search(r"http://testserver(/invitations/\S+)", email.body).group(1)
    response = Client().post(
        link,
        {
            "full_name": "Ana Lund",
            "password1": "a-long-new-pass-42",
            "password2": "a-long-new-pass-42",
        },
    )
    assert response.status_code == 302
    admin = Membership.objects.for_org(org).select_related("user").get()
    assert admin.role == Role.ADMIN and admin.user.email == "ana@northwind.test"
    assert admin.user.check_password("a-long-new-pass-42")


@pytest.mark.django_db
def test_an_existing_person_becomes_admin_and_keeps_their_password() -> None:
    user = UserFactory(email="sam@example.test")
    out = create("Second Co", "--slug", "second", "--admin-email", "sam@example.test")
    membership = Membership.objects.for_org(Organisation.objects.get(slug="second")).get()
    assert membership.user == user and membership.role == Role.ADMIN
    assert "password" not in out and User.objects.count() == 1


@pytest.mark.django_db
def test_a_taken_slug_is_refused_naming_the_option_and_nothing_is_written() -> None:
    OrganisationFactory(slug="acme")
    before = (Organisation.objects.count(), User.objects.count(), AuditEvent.objects.count())
    with pytest.raises(CommandError, match=r"^--slug: .*already exists"):
        create("Acme Again", "--slug", "acme", "--admin-email", "new@acme.test")
    after = (Organisation.objects.count(), User.objects.count(), AuditEvent.objects.count())
    assert after == before
    assert not User.objects.filter(email="new@acme.test").exists()


@pytest.mark.django_db
def test_a_malformed_email_is_refused_naming_the_option() -> None:
    with pytest.raises(CommandError, match=r"^--admin-email: "):
        create("Acme", "--slug", "acme", "--admin-email", "not-an-email")
    assert not Organisation.objects.exists()
