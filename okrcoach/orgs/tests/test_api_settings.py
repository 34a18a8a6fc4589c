"""The organisation's settings through the API: admins only, as on the Settings page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import World
from okrcoach.accounts.models import User
from okrcoach.core.models import AuditEvent
from okrcoach.orgs.models import Organisation, Team

from .factories import TeamFactory
from .test_api_admin import Api

pytestmark = pytest.mark.django_db


def test_an_admin_reads_and_changes_the_settings(world: World) -> None:
    api = Api(world.admin)
    assert api.get("/organisation/settings").json()["name"] == "Acme Test"
    response = api.send(
        "patch",
        "/organisation/settings",
        {"check_in_cadence_days": 14, "cycle_length_months": 12, "rollup_includes_children": True},
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "name": "Acme Test",
        "cycle_length_months": 12,
        "cycle_start_month": 1,
        "check_in_cadence_days": 14,
        "rollup_includes_children": True,
    }
    org = Organisation.objects.get(pk=world.org.pk)
    assert (org.check_in_cadence_days, org.cycle_length_months) == (14, 12)
    assert (
        AuditEvent.objects.for_org(world.org)
        .filter(action="orgs.organisation.settings_changed")
        .exists()
    )
    other = Organisation.objects.get(pk=world.other_org.pk)
    assert other.check_in_cadence_days == 7


def test_others_may_not_read_or_change_the_settings(world: World) -> None:
    for who in (world.manager, world.member, world.executive):
        api = Api(who)
        assert api.get("/organisation/settings").status_code == 403
        refused = api.send("patch", "/organisation/settings", {"name": "Mine now"})
        assert refused.status_code == 403 and refused.json()["detail"]
    assert Organisation.objects.get(pk=world.org.pk).name == "Acme Test"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"check_in_cadence_days": 9}, "check_in_cadence_days"),
        ({"cycle_start_month": 13}, "cycle_start_month"),
        ({"name": "   "}, "name"),
        ({"slug": "mine"}, "slug"),
    ],
)
def test_invalid_settings_are_422_naming_the_field(
    world: World, body: dict[str, Any], field: str
) -> None:
    response = Api(world.admin).send("patch", "/organisation/settings", body)
    assert response.status_code == 422 and response.json()["field"] == field
    org = Organisation.objects.get(pk=world.org.pk)
    assert (org.name, org.slug, org.check_in_cadence_days) == ("Acme Test", "acme", 7)


@pytest.mark.parametrize("size", [1, 10])
def test_reading_the_settings_runs_a_constant_number_of_queries(
    world: World, size: int, django_assert_num_queries: Any
) -> None:
    TeamFactory.create_batch(size, organisation=world.org)
    api = Api(world.admin)
    # What token auth costs, nothing more: the settings come with the membership.
    with django_assert_num_queries(2):
        assert api.get("/organisation/settings").status_code == 200


# --- your profile (the profile page: name, title, time zone, notification preferences) -----


def test_a_person_changes_their_time_zone_and_notifications(world: World) -> None:
    api = Api(world.member)
    before = api.get("/me/profile").json()
    assert set(before["notifications"]) == {
        "weekly_digest",
        "check_in_reminders",
        "mentions",
        "activity",
        "retrospectives",
        "academy",
    }
    response = api.send(
        "patch",
        "/me/profile",
        {"time_zone": "Europe/Paris", "notifications": {"weekly_digest": False, "mentions": True}},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["time_zone"] == "Europe/Paris" and body["full_name"] == before["full_name"]
    assert body["notifications"]["mentions"] and not body["notifications"]["weekly_digest"]
    user = User.objects.get(pk=world.member.user_id)
    assert user.time_zone == "Europe/Paris" and user.notification_preferences["mentions"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"full_name": "  "}, "full_name"),
        ({"notifications": {"sms": True}}, "notifications.sms.[key]"),
        ({"email": "x@y.z"}, "email"),
    ],
)
def test_an_invalid_profile_is_422_naming_the_field(
    world: World, body: dict[str, Any], field: str
) -> None:
    response = Api(world.member).send("patch", "/me/profile", body)
    assert response.status_code == 422 and response.json()["field"] == field
    user = User.objects.get(pk=world.member.user_id)
    assert (user.full_name, user.time_zone) == (
        world.member.user.full_name,
        world.member.user.time_zone,
    )


# --- people and teams from a CSV file --------------------------------------------------------


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")


def test_an_admin_imports_teams_then_people(world: World) -> None:
    api = Api(world.admin)
    teams = api.client.post(
        "/api/v1/people-import",
        {"kind": "teams", "file": _csv("name,parent,lead_email\nBilling,Support,\n")},
        **api.headers,
    )
    assert teams.status_code == 201, teams.content
    assert teams.json()["created"] == 1
    people = api.client.post(
        "/api/v1/people-import",
        {
            "kind": "people",
            "send_invitations": "false",
            "file": _csv(
                "email,full_name,title,role,team,manager_email\n"
                "new@acme.test,New Person,Agent,member,Billing,\n"
            ),
        },
        **api.headers,
    )
    assert people.status_code == 201, people.content
    assert people.json()["invitations"] == 0
    assert Team.objects.for_org(world.org).filter(name="Billing").exists()


def test_a_bad_csv_is_422_naming_line_and_column_and_members_get_403(world: World) -> None:
    api = Api(world.admin)
    before = Team.objects.for_org(world.org).count()
    bad = api.client.post(
        "/api/v1/people-import",
        {"kind": "teams", "file": _csv("name,parent,lead_email\nBilling,Nowhere,\n")},
        **api.headers,
    )
    assert bad.status_code == 422 and bad.json()["field"].startswith("rows.2."), bad.json()
    typo = api.client.post(
        "/api/v1/people-import",
        {"kind": "teams", "file": _csv("name\nX\n"), "dry_run": "1"},
        **api.headers,
    )
    assert typo.status_code == 422 and typo.json()["field"] == "dry_run"
    member = Api(world.member)
    refused = member.client.post(
        "/api/v1/people-import",
        {"kind": "teams", "file": _csv("name,parent,lead_email\nX,,\n")},
        **member.headers,
    )
    assert refused.status_code == 403
    assert Team.objects.for_org(world.org).count() == before
