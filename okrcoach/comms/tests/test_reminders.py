"""Check-in reminders: due day in the owner's time zone and working hours, one follow-up, at
most one a day, managers' lists, privacy."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from conftest import World
from okrcoach.comms.models import Notification
from okrcoach.okrs.models import KeyResult
from okrcoach.okrs.reminders import remind_organisation

from .helpers import key_result

pytestmark = pytest.mark.django_db
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
# A Wednesday: 10:00 in Tokyo is 01:00 UTC.
WEDNESDAY_10_TOKYO = dt.datetime(2026, 12, 2, 10, 0, tzinfo=TOKYO)


def _due(kr: KeyResult, day: dt.date) -> None:
    KeyResult.objects.for_org(kr.organisation).filter(pk=kr.pk).update(next_check_in_due=day)


def _in_tokyo(*people: object) -> None:
    for p in people:
        p.user.time_zone = "Asia/Tokyo"
        p.user.save()


def _titles(person: object) -> list[str]:
    return list(
        Notification.objects.for_org(person.organisation)
        .filter(recipient=person)
        .values_list("title", flat=True)
    )


def test_a_reminder_goes_on_the_due_day_in_the_owners_working_hours(world: World) -> None:
    _in_tokyo(world.member)
    kr = key_result(world.member, title="Cut refund time")
    _due(kr, WEDNESDAY_10_TOKYO.date())
    at_three_am = WEDNESDAY_10_TOKYO.replace(hour=3)
    assert remind_organisation(world.org, at_three_am) == 0  # asleep in Tokyo
    assert remind_organisation(world.org, WEDNESDAY_10_TOKYO) == 1
    assert _titles(world.member) == ["Check-in due today: Cut refund time"]
    # Hourly runs the same day add nothing: at most one reminder a person a day.
    assert remind_organisation(world.org, WEDNESDAY_10_TOKYO.replace(hour=14)) == 0


def test_one_follow_up_two_days_later_and_the_manager_hears_of_late_check_ins(
    world: World,
) -> None:
    _in_tokyo(world.member, world.manager, world.executive)
    kr = key_result(world.member, title="Cut refund time")
    _due(kr, WEDNESDAY_10_TOKYO.date() - dt.timedelta(days=2))
    remind_organisation(world.org, WEDNESDAY_10_TOKYO)
    assert _titles(world.member) == ["Reminder: still waiting for a check-in on Cut refund time"]
    assert _titles(world.manager) == ["1 late check-ins in your team"]
    assert _titles(world.executive) == ["1 late check-ins in your team"]  # the whole subtree
    remind_organisation(world.org, WEDNESDAY_10_TOKYO + dt.timedelta(days=1))
    assert len(_titles(world.member)) == 1  # no second follow-up


def test_a_private_key_result_is_never_listed_to_a_manager_who_may_not_see_it(
    world: World,
) -> None:
    # The peer owns a key result under the manager's... no: under the member's private
    # objective; the peer's manager chain (mia, eve) may see it, the member is not above the peer.
    _in_tokyo(world.member, world.manager, world.peer, world.executive)
    kr = key_result(world.member, private=True, title="Hush-hush pilot")
    KeyResult.objects.for_org(world.org).filter(pk=kr.pk).update(owner=world.peer)
    _due(kr, WEDNESDAY_10_TOKYO.date() - dt.timedelta(days=3))
    remind_organisation(world.org, WEDNESDAY_10_TOKYO)
    # The peer owns the key result but may not see the member's private objective.
    assert _titles(world.peer) == []
