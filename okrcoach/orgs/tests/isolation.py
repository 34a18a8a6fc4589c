from __future__ import annotations

from okrcoach.core.tests.isolation import Route
from okrcoach.orgs.models import Invitation, Membership, Team


def _person(world, org):
    return {"person_id": Membership.objects.for_org(org).first().public_id}


def _team(world, org):
    return {"team_id": Team.objects.for_org(org).exclude(parent=None).first().public_id}


def _invitation(world, org):
    from django.utils import timezone

    inv = Invitation.objects.create(
        organisation=org,
        email="x@example.test",
        token_hash=f"h{org.pk}",
        expires_at=timezone.now() + timezone.timedelta(days=1),
    )
    return {"invitation_id": inv.public_id}


ROUTES = {
    "orgs:person_detail": Route(_person),
    "orgs:team_detail": Route(_team),
    "orgs:edit_member": Route(_person),
    "orgs:deactivate_member": Route(_person, "post"),
    "orgs:reactivate_member": Route(_person, "post"),
    "orgs:revoke_invitation": Route(_invitation, "post"),
    "orgs:edit_team": Route(_team),
    "orgs:delete_team": Route(_team, "post"),
}

# API routes with a path id: {path template: kwargs builder}
API_ROUTES = {
    "/api/v1/people/{person_id}": _person,
    "/api/v1/people/{person_id}/deactivate": _person,
    "/api/v1/people/{person_id}/reactivate": _person,
    "/api/v1/teams/{team_id}": _team,
    "/api/v1/invitations/{invitation_id}/revoke": _invitation,
}
