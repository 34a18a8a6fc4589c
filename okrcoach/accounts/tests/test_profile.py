from __future__ import annotations

import pytest
from django.test import Client

from conftest import World


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
        "activity": False,
        "retrospectives": False,
        "academy": False,
    }


@pytest.mark.django_db
def test_an_unknown_time_zone_is_refused_beside_its_field(world: World) -> None:
    response = signed_in(world).post(
        "/o/acme/me/", {"full_name": "Max", "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 200 and 'id="id_time_zone_error"' in response.content.decode()


@pytest.mark.django_db
def test_the_profile_links_to_the_api_token_page(world: World) -> None:
    content = signed_in(world).get("/o/acme/me/").content.decode()
    assert 'href="/o/acme/api-tokens/"' in content
