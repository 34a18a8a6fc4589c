from __future__ import annotations

import pytest
from django.core import mail

from conftest import World
from okrcoach.orgs import importing
from okrcoach.orgs.models import Membership, Team


@pytest.mark.django_db
def test_people_import_applies_whole_with_managers_from_the_same_file(
    world: World,
    django_capture_on_commit_callbacks,
) -> None:
    data = (
        b"email,full_name,title,role,team,manager_email\n"
        b"lead@acme.test,Lee Lead,Team Lead,member,Support,mia@acme.test\n"
        b"ic@acme.test,Ira Contributor,Engineer,,Support,lead@acme.test\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = importing.import_people_csv(actor=world.admin, data=data)
    assert (result.created, result.invitations) == (2, 2)
    ic = (
        Membership.objects.for_org(world.org)
        .select_related("manager__user")
        .get(user__email="ic@acme.test")
    )
    assert ic.manager.user.email == "lead@acme.test"
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_people_import_with_any_bad_row_writes_nothing_and_names_line_and_field(
    world: World,
) -> None:
    before = Membership.objects.for_org(world.org).count()
    data = (
        b"email,full_name,title,role,team,manager_email\n"
        b"ok@acme.test,Okay Person,,member,Support,\n"
        b"not-an-email,Broken,,member,Support,\n"
        b"third@acme.test,,,boss,Nowhere,ghost@acme.test\n"
    )
    with pytest.raises(importing.ImportRejected) as exc:
        importing.import_people_csv(actor=world.admin, data=data)
    found = {(e.line, e.field) for e in exc.value.errors}
    assert {(3, "email"), (4, "full_name"), (4, "role"), (4, "team"), (4, "manager_email")} <= found
    assert Membership.objects.for_org(world.org).count() == before
    assert mail.outbox == []


@pytest.mark.django_db
def test_team_import_orders_parents_before_children(world: World) -> None:
    data = b"name,parent,lead_email\nTier 2,Tier 1,\nTier 1,Support,mia@acme.test\n"
    result = importing.import_teams_csv(actor=world.admin, data=data)
    assert result.created == 2
    tier2 = Team.objects.for_org(world.org).select_related("parent").get(name="Tier 2")
    assert tier2.parent.name == "Tier 1"


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_refused_clearly(world: World) -> None:
    with pytest.raises(importing.ImportRejected) as exc:
        importing.import_people_csv(
            actor=world.admin, data="email,full_name\né,x\n".encode("latin-1")
        )
    assert exc.value.errors[0].field == "file"
