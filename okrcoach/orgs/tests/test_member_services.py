from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import World
from okrcoach.core.models import AuditEvent
from okrcoach.orgs import services
from okrcoach.orgs.models import Invitation, Membership, Role
from okrcoach.orgs.tests.factories import TeamFactory


@pytest.mark.django_db(transaction=True)
def test_admin_invites_by_email_and_the_link_lets_a_new_person_join(world: World) -> None:
    invitation = services.invite_member(
        actor=world.admin,
        email="New.Person@Acme.test",
        role=Role.MEMBER,
        team=world.team,
        manager=world.manager,
    )
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    token = body.split("/invitations/")[1].split("/")[0]
    found = services.find_pending_invitation(token)
    assert found is not None and found.pk == invitation.pk
    membership = services.accept_invitation(
        invitation=found, user=None, full_name="New Person", password="a-long-password-1"
    )
    assert membership.user.email == "new.person@acme.test"
    assert membership.manager == world.manager and membership.team == world.team
    assert services.find_pending_invitation(token) is None
    actions = set(AuditEvent.objects.for_org(world.org).values_list("action", flat=True))
    assert {"orgs.invitation.sent", "orgs.invitation.accepted"} <= actions


@pytest.mark.django_db
def test_an_expired_invitation_cannot_be_accepted(world: World) -> None:
    from django.utils import timezone

    invitation = services.invite_member(actor=world.admin, email="late@acme.test")
    Invitation.objects.for_org(world.org).filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    invitation.refresh_from_db()
    with pytest.raises(ValidationError):
        services.accept_invitation(
            invitation=invitation, user=None, full_name="Late", password="a-long-password-1"
        )
    assert not Membership.objects.for_org(world.org).filter(user__email="late@acme.test").exists()


@pytest.mark.django_db
def test_members_cannot_invite(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.invite_member(actor=world.member, email="x@acme.test")
    assert not Invitation.objects.for_org(world.org).exists()


@pytest.mark.django_db
def test_inviting_a_current_member_names_the_email_field(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.invite_member(actor=world.admin, email=world.member.user.email)
    assert "email" in exc.value.message_dict


@pytest.mark.django_db
def test_a_manager_loop_is_refused_and_nothing_changes(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.update_member(
            actor=world.admin,
            member=world.manager,
            role=Role.MEMBER,
            team=world.team,
            manager=world.member,
        )
    assert "manager" in exc.value.message_dict
    world.manager.refresh_from_db()
    assert world.manager.manager == world.executive


@pytest.mark.django_db
def test_deactivating_keeps_the_person_and_the_last_admin_stays(world: World) -> None:
    services.deactivate_member(actor=world.admin, member=world.member)
    world.member.refresh_from_db()
    assert not world.member.is_active and world.member.deactivated_at is not None
    with pytest.raises(ValidationError):
        services.deactivate_member(actor=world.admin, member=world.admin)


@pytest.mark.django_db
def test_services_refuse_objects_of_another_organisation(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.update_member(
            actor=world.admin, member=world.outsider, role=Role.MEMBER, team=None, manager=None
        )


@pytest.mark.django_db
def test_a_team_cannot_be_moved_below_itself(world: World) -> None:
    child = TeamFactory(organisation=world.org, parent=world.team, name="Tier 2", slug="tier-2")
    with pytest.raises(ValidationError) as exc:
        services.save_team(
            actor=world.admin, team=world.team, name="Support", parent=child, lead=None
        )
    assert "parent" in exc.value.message_dict
