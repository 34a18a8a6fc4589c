from __future__ import annotations

import pytest
from django.test import Client

from conftest import World
from okrcoach.accounts.models import ApiToken


def signed_in(world: World) -> Client:
    client = Client()
    client.force_login(world.member.user)
    return client


@pytest.mark.django_db
def test_profile_saves_name_title_time_zone_and_preferences(world: World) -> None:
    response = signed_in(world).post(
        "/o/acme/me/",
        {
            "full_name": "Max M. Member",
            "title": "Lead Analyst",
            "time_zone": "Europe/Berlin",
            "notifications": ["weekly_digest"],
        },
    )
    assert response.status_code == 302
    user = world.member.user
    user.refresh_from_db()
    assert (user.full_name, user.title, user.time_zone) == (
        "Max M. Member",
        "Lead Analyst",
        "Europe/Berlin",
    )
    assert user.notification_preferences == {
        "weekly_digest": True,
        "check_in_reminders": False,
        "mentions": False,
    }


@pytest.mark.django_db
def test_an_unknown_time_zone_is_refused_beside_its_field(world: World) -> None:
    response = signed_in(world).post(
        "/o/acme/me/", {"full_name": "Max", "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 200 and 'id="id_time_zone_error"' in response.content.decode()


@pytest.mark.django_db
def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(world: World) -> None:
    response = signed_in(world).post(
        "/o/acme/me/tokens/", {"name": "CI lint"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    token = ApiToken.objects.get(user=world.member.user)
    secret = content.split('id="new-token">')[1].split("<")[0]
    assert (
        secret.startswith("okr_") and token.token_hash != secret and secret not in token.token_hash
    )
    again = signed_in(world).get("/o/acme/me/").content.decode()
    assert secret not in again


@pytest.mark.django_db
def test_a_token_name_is_required(world: World) -> None:
    response = signed_in(world).post("/o/acme/me/tokens/", {"name": ""}, HTTP_HX_REQUEST="true")
    assert 'id="id_name_error"' in response.content.decode()
    assert not ApiToken.objects.filter(user=world.member.user).exists()


@pytest.mark.django_db
def test_someone_else_cannot_revoke_my_token(world: World) -> None:
    signed_in(world).post("/o/acme/me/tokens/", {"name": "mine"})
    token = ApiToken.objects.get(user=world.member.user)
    other = Client()
    other.force_login(world.peer.user)
    assert other.post(f"/o/acme/me/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
