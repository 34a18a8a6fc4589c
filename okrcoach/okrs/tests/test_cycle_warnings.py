"""Cycles in 2019 or overlapping the active one are not errors but need the admin's
confirmation; old cycles stay out of everyone's cycle menu (behind "Older cycles")."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

from django.utils import timezone

from conftest import World
from okrcoach.okrs.models import Cycle

from .factories import CycleFactory
from .test_api import Api
from .test_pages import client_for, url

TODAY = timezone.localdate()


def _form(name: str, starts_on: date, ends_on: date, **extra: str) -> dict[str, str]:
    return {
        "name": name,
        "kind": "quarter",
        "starts_on": starts_on.isoformat(),
        "ends_on": ends_on.isoformat(),
        **extra,
    }


def _active(world: World) -> Cycle:
    return cast(
        Cycle,
        CycleFactory(
            organisation=world.org,
            name="This quarter",
            starts_on=TODAY - timedelta(days=30),
            ends_on=TODAY + timedelta(days=60),
        ),
    )


def test_a_cycle_in_2019_asks_the_admin_to_confirm_then_saves(world: World) -> None:
    client = client_for(world.admin)
    data = _form("Q1 2019", date(2019, 1, 1), date(2019, 3, 31))
    first = client.post(url(world, "cycles"), data)
    body = first.content.decode()
    assert first.status_code == 200
    assert "Please check these dates before saving" in body
    assert "more than two years ago" in body and "more than a year ago" in body
    assert 'type="checkbox" name="confirmed"' in body
    assert 'class="errorlist"' not in body  # a warning, not an error
    assert not Cycle.objects.for_org(world.org).filter(name="Q1 2019").exists()
    second = client.post(url(world, "cycles"), {**data, "confirmed": "on"})
    assert second.status_code == 302
    assert Cycle.objects.for_org(world.org).filter(name="Q1 2019").exists()


def test_a_cycle_overlapping_the_active_one_of_the_same_kind_is_warned(world: World) -> None:
    active = _active(world)
    client = client_for(world.admin)
    data = _form("Overlap", TODAY, TODAY + timedelta(days=90))
    body = client.post(url(world, "cycles"), data).content.decode()
    assert f"It overlaps the active cycle {active.name}" in body
    assert not Cycle.objects.for_org(world.org).filter(name="Overlap").exists()
    # A year around the active quarter is normal: no warning.
    year = _form("The year", TODAY - timedelta(days=60), TODAY + timedelta(days=300), kind="year")
    assert client.post(url(world, "cycles"), year).status_code == 302
    # The next quarter, right after the active one, is normal too.
    following = _form("Next quarter", active.ends_on, active.ends_on + timedelta(days=90))
    assert client.post(url(world, "cycles"), following).status_code == 302


def test_editing_a_cycle_into_the_past_is_warned_too(world: World) -> None:
    cycle = _active(world)
    client = client_for(world.admin)
    edit = url(world, "cycle_edit", cycle_id=cycle.public_id)
    assert client.get(edit).status_code == 200
    data = _form("This quarter", date(2019, 1, 1), date(2019, 3, 31))
    assert "more than two years ago" in client.post(edit, data).content.decode()
    cycle.refresh_from_db()
    assert cycle.starts_on == TODAY - timedelta(days=30)
    assert client.post(edit, {**data, "confirmed": "on"}).status_code == 302
    cycle.refresh_from_db()
    assert cycle.starts_on == date(2019, 1, 1)
    # Renaming without moving dates far back needs no confirmation.
    current = _form("Renamed", TODAY - timedelta(days=10), TODAY + timedelta(days=80))
    assert client.post(edit, current).status_code == 302


def test_only_admins_of_the_organisation_edit_cycles(world: World) -> None:
    cycle = _active(world)
    edit = url(world, "cycle_edit", cycle_id=cycle.public_id)
    assert client_for(world.member).get(edit).status_code == 403
    outsider_url = f"/o/{world.other_org.slug}/okrs/cycles/{cycle.public_id}/edit/"
    assert client_for(world.outsider).get(outsider_url).status_code == 404


def test_the_api_returns_the_warnings_as_a_422_until_confirmed(world: World) -> None:
    api = Api(world.admin)
    body = {"name": "Q1 2019", "starts_on": "2019-01-01", "ends_on": "2019-03-31"}
    refused = api.send("post", "/cycles", body)
    assert refused.status_code == 422
    assert "more than two years ago" in str(refused.json())
    assert api.send("post", "/cycles", {**body, "confirm": True}).status_code == 201


def test_old_cycles_do_not_fill_the_cycle_menu(world: World) -> None:
    active = _active(world)
    old: list[Cycle] = [
        CycleFactory(
            organisation=world.org,
            name=f"Q{i % 4 + 1} {2015 + i // 4}",
            starts_on=date(2015, 1, 1) + timedelta(days=91 * i),
            ends_on=date(2015, 1, 1) + timedelta(days=91 * i + 90),
            state=Cycle.State.CLOSED,
        )
        for i in range(12)
    ]
    client = client_for(world.member)
    body = client.get(url(world, "my_okrs")).content.decode()
    menu = body.split('id="cycle-switch"')[1].split("</select>")[0]
    assert active.name in menu
    assert menu.count("<option") == 1 + 4  # the active one and the last four closed
    assert old[0].name not in menu
    assert "Older cycles (8)" in body
    # An old cycle chosen from the cycles page is in the menu while it is shown.
    chosen = client.get(url(world, "my_okrs") + f"?cycle={old[0].public_id}").content.decode()
    assert old[0].name in chosen.split('id="cycle-switch"')[1].split("</select>")[0]
