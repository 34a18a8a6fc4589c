"""People, teams and invitations changed through the API: admins only, as on the admin pages."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import World
from okrcoach.api.services import create_api_token
from okrcoach.orgs.models import Invitation, Membership, Role, Team

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, membership: Membership) -> None:
        _token, raw = create_api_token(membership=membership, name="test")
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        self.client = Client()

    def get(self, path: str):
        return self.client.get("/api/v1" + path, **self.headers)

    def send(self, method: str, path: str, body: object = None):
        return getattr(self.client, method)(
            "/api/v1" + path, body, content_type="application/json", **self.headers
        )


def test_an_admin_changes_a_persons_role_team_and_manager(world: World) -> None:
    other_team = Team.objects.create(
        organisation=world.org, name="Sales", slug="sales", parent=world.team
    )
    response = Api(world.admin).send(
        "patch",
        f"/people/{world.member.public_id}",
        {"role": "executive", "team_id": str(other_team.public_id), "manager_id": None},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["role"] == "executive" and body["team_id"] == str(other_team.public_id)
    assert body["manager_id"] is None
    world.member.refresh_from_db()
    assert world.member.role == Role.EXECUTIVE and world.member.manager is None


def test_only_admins_change_people(world: World) -> None:
    response = Api(world.manager).send(
        "patch", f"/people/{world.member.public_id}", {"role": "admin"}
    )
    assert response.status_code == 403 and response.json()["detail"]
    world.member.refresh_from_db()
    assert world.member.role == Role.MEMBER


def test_a_reporting_loop_is_422_on_manager_and_writes_nothing(world: World) -> None:
    response = Api(world.admin).send(
        "patch", f"/people/{world.manager.public_id}", {"manager_id": str(world.member.public_id)}
    )
    assert response.status_code == 422 and response.json()["field"] == "manager"
    world.manager.refresh_from_db()
    assert world.manager.manager == world.executive


def test_unknown_fields_are_refused_by_name(world: World) -> None:
    response = Api(world.admin).send(
        "patch", f"/people/{world.member.public_id}", {"role": "admin", "salary": 1}
    )
    assert response.status_code == 422 and response.json()["field"] == "salary"
    world.member.refresh_from_db()
    assert world.member.role == Role.MEMBER


def test_an_admin_deactivates_and_reactivates_a_person(world: World) -> None:
    api = Api(world.admin)
    off = api.send("post", f"/people/{world.member.public_id}/deactivate")
    assert off.status_code == 200 and off.json()["is_active"] is False
    on = api.send("post", f"/people/{world.member.public_id}/reactivate")
    assert on.status_code == 200 and on.json()["is_active"] is True
    assert (
        Api(world.manager).send("post", f"/people/{world.peer.public_id}/deactivate").status_code
        == 403
    )
    world.peer.refresh_from_db()
    assert world.peer.is_active


def test_an_admin_cannot_deactivate_themselves(world: World) -> None:
    response = Api(world.admin).send("post", f"/people/{world.admin.public_id}/deactivate")
    assert response.status_code == 422 and response.json()["detail"]
    world.admin.refresh_from_db()
    assert world.admin.is_active


def test_another_organisations_person_is_404(world: World) -> None:
    response = Api(world.admin).send(
        "patch", f"/people/{world.outsider.public_id}", {"role": "member"}
    )
    assert response.status_code == 404 and response.json()["detail"]
    world.outsider.refresh_from_db()
    assert world.outsider.role == Role.ADMIN


def test_an_admin_creates_renames_and_deletes_a_team(world: World) -> None:
    api = Api(world.admin)
    created = api.send(
        "post",
        "/teams",
        {"name": "Billing", "parent_id": str(world.team.public_id), "kind": "team"},
    )
    assert created.status_code == 201, created.content
    team_id = created.json()["id"]
    assert created.json()["parent_id"] == str(world.team.public_id)
    renamed = api.send(
        "patch", f"/teams/{team_id}", {"name": "Invoicing", "lead_id": str(world.peer.public_id)}
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "Invoicing"
    assert renamed.json()["lead_id"] == str(world.peer.public_id)
    assert api.send("delete", f"/teams/{team_id}").status_code == 204
    assert not Team.objects.for_org(world.org).filter(public_id=team_id).exists()


def test_team_changes_are_for_admins_and_checked(world: World) -> None:
    body = {"name": "Billing", "parent_id": str(world.team.public_id)}
    assert Api(world.manager).send("post", "/teams", body).status_code == 403
    api = Api(world.admin)
    loop = api.send(
        "patch", f"/teams/{world.team.public_id}", {"parent_id": str(world.team.public_id)}
    )
    assert loop.status_code == 422 and loop.json()["field"] == "parent"
    missing = api.send("post", "/teams", {"name": "Orphan"})
    assert missing.status_code == 422 and missing.json()["field"] == "parent_id"
    assert not Team.objects.for_org(world.org).filter(name__in=["Billing", "Orphan"]).exists()


def test_an_admin_invites_lists_and_revokes(world: World, mailoutbox: list) -> None:
    api = Api(world.admin)
    created = api.send(
        "post",
        "/invitations",
        {"email": "new.person@acme.test", "role": "member", "team_id": str(world.team.public_id)},
    )
    assert created.status_code == 201, created.content
    assert api.get("/invitations").json()["count"] == 1
    revoked = api.send("post", f"/invitations/{created.json()['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    assert api.get("/invitations").json()["count"] == 0


def test_invitations_are_for_admins_and_need_a_real_address(world: World) -> None:
    assert Api(world.member).get("/invitations").status_code == 403
    assert (
        Api(world.member).send("post", "/invitations", {"email": "a@acme.test"}).status_code == 403
    )
    bad = Api(world.admin).send("post", "/invitations", {"email": "not an address"})
    assert bad.status_code == 422 and bad.json()["field"] == "email"
    taken = Api(world.admin).send("post", "/invitations", {"email": "max@acme.test"})
    assert taken.status_code == 422 and taken.json()["field"] == "email"
    assert not Invitation.objects.for_org(world.org).exists()


def test_nul_characters_are_refused_by_field_as_on_the_pages(world: World) -> None:
    api = Api(world.admin)
    response = api.send(
        "post", "/teams", {"name": "Bad\x00", "parent_id": str(world.team.public_id)}
    )
    assert response.status_code == 422 and response.json()["field"] == "name"
    assert api.get("/people?q=a%00b").status_code == 422
    assert not Team.objects.for_org(world.org).filter(name__startswith="Bad").exists()
