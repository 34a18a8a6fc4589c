""" "Retrospective due" at a cycle's end, from the hourly reminder run: objective owners and team
leads, once per cycle per person, in their time zone and working hours; their own switch for
email; never naming a private objective to someone who may not see it; nothing for deactivated
people."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any, cast

import pytest

from conftest import World
from okrcoach.comms.models import Kind, Notification
from okrcoach.okrs.models import Cycle, Retrospective
from okrcoach.okrs.reminders import remind_organisation
from okrcoach.okrs.tests.factories import CycleFactory
from okrcoach.orgs.models import Membership, Team
from okrcoach.orgs.tests.factories import MembershipFactory

from .helpers import objective

pytestmark = pytest.mark.django_db
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
# A Wednesday: 10:00 in Tokyo is 01:00 UTC (night in UTC).
END_DAY_10_TOKYO = dt.datetime(2026, 12, 2, 10, 0, tzinfo=TOKYO)


def _in_tokyo(*people: Membership) -> None:
    for p in people:
        p.user.time_zone = "Asia/Tokyo"
        p.user.save()


def _cycle(world: World) -> Cycle:
    end = END_DAY_10_TOKYO.date()
    return cast(
        Cycle,
        CycleFactory(organisation=world.org, starts_on=end - dt.timedelta(weeks=13), ends_on=end),
    )


def _lead(world: World, person: Membership) -> None:
    Team.objects.for_org(world.org).filter(pk=world.team.pk).update(lead=person)


def _retro_notes(person: Membership) -> list[Notification]:
    return list(
        Notification.objects.for_org(person.organisation).filter(
            recipient=person, kind=Kind.RETRO_DUE
        )
    )


def test_owners_and_leads_are_asked_once_per_cycle_in_their_own_time(world: World) -> None:
    _in_tokyo(world.member, world.manager)
    cycle = _cycle(world)
    objective(world.member, cycle=cycle, team=world.team, title="Answer faster on weekends")
    _lead(world, world.manager)
    day_before = END_DAY_10_TOKYO - dt.timedelta(days=1)
    assert remind_organisation(world.org, day_before) == 0  # the cycle has not ended yet
    assert remind_organisation(world.org, END_DAY_10_TOKYO.replace(hour=3)) == 0  # asleep
    assert remind_organisation(world.org, END_DAY_10_TOKYO) == 2
    [mine] = _retro_notes(world.member)
    assert mine.title == f"{cycle.name} has ended: time for the retrospective"
    assert "Answer faster on weekends" in mine.excerpt
    assert mine.url.endswith("/retrospective/")
    [lead] = _retro_notes(world.manager)
    assert "your team's retrospective: Support" in lead.excerpt
    # Hourly runs that day, the next day and in grading add nothing: once per cycle.
    assert remind_organisation(world.org, END_DAY_10_TOKYO.replace(hour=11)) == 0
    Cycle.objects.for_org(world.org).filter(pk=cycle.pk).update(state=Cycle.State.GRADING)
    assert remind_organisation(world.org, END_DAY_10_TOKYO + dt.timedelta(days=1)) == 0
    assert len(_retro_notes(world.member)) == 1


def test_a_written_retrospective_means_no_reminder(world: World) -> None:
    _in_tokyo(world.member)
    cycle = _cycle(world)
    goal = objective(world.member, cycle=cycle, title="Halve the refund queue")
    Retrospective.objects.for_org(world.org).create(
        organisation=world.org, cycle=cycle, objective=goal, author=world.member, learned="x"
    )
    assert remind_organisation(world.org, END_DAY_10_TOKYO) == 0


def test_a_lead_who_may_not_see_a_private_objective_is_not_told_its_title(world: World) -> None:
    lou = MembershipFactory(organisation=world.org, user__full_name="Lou Lead")
    _in_tokyo(world.member, lou)
    _lead(world, lou)
    cycle = _cycle(world)
    objective(world.member, private=True, cycle=cycle, team=world.team, title="Secret pivot")
    assert remind_organisation(world.org, END_DAY_10_TOKYO) == 2
    [lead] = _retro_notes(lou)
    assert "Secret pivot" not in lead.title + lead.excerpt
    assert "Support" in lead.excerpt
    [owner] = _retro_notes(world.member)
    assert "Secret pivot" in owner.excerpt  # her own objective


def test_deactivated_people_are_not_asked(world: World) -> None:
    _in_tokyo(world.member, world.manager)
    _lead(world, world.manager)
    cycle = _cycle(world)
    objective(world.member, cycle=cycle, team=world.team)
    Membership.objects.for_org(world.org).filter(pk=world.member.pk).update(is_active=False)
    world.manager.user.is_active = False
    world.manager.user.save()
    assert remind_organisation(world.org, END_DAY_10_TOKYO) == 0
    assert not Notification.objects.for_org(world.org).filter(kind=Kind.RETRO_DUE).exists()


def test_the_retrospectives_switch_stops_the_email_not_the_inbox(
    world: World, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    _in_tokyo(world.member, world.peer)
    cycle = _cycle(world)
    objective(world.member, cycle=cycle)
    objective(world.peer, cycle=cycle)
    world.peer.user.notification_preferences = {"retrospectives": False}
    world.peer.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_organisation(world.org, END_DAY_10_TOKYO) == 2
    assert [m.to for m in mailoutbox] == [["max@acme.test"]]
    assert "retrospective" in mailoutbox[0].subject
    assert "List-Unsubscribe" in mailoutbox[0].extra_headers
    assert len(_retro_notes(world.peer)) == 1


def test_owners_of_ungraded_key_results_are_asked_to_grade_them(world: World) -> None:
    """ "Grades due": at the cycle's end the owner of key results without a grade is asked to
    grade them (a count, no titles), in the same once-per-cycle message as the retrospective."""
    from okrcoach.okrs.tests.factories import KeyResultFactory

    kim = MembershipFactory(organisation=world.org, user__full_name="Kim Keyholder")
    _in_tokyo(world.member, kim)
    cycle = _cycle(world)
    goal = objective(world.member, cycle=cycle, title="Refunds reach people within a day")
    KeyResultFactory(objective=goal, owner=kim, title="Refunds paid within 24 hours reach 90%")
    KeyResultFactory(objective=goal, owner=kim, title="Refund complaints fall to 5 a week")
    KeyResultFactory(objective=goal, owner=world.member, score="0.70")  # graded already
    assert remind_organisation(world.org, END_DAY_10_TOKYO) == 2
    [asked] = _retro_notes(kim)
    assert asked.title == f"{cycle.name} has ended: time to grade your key results"
    assert "Grade the 2 key results you own that have no grade yet." in asked.excerpt
    assert "Refunds paid" not in asked.excerpt
    assert asked.url.endswith(f"/cycles/{cycle.public_id}/grading/")
    [owner] = _retro_notes(world.member)
    assert "Grade" not in owner.excerpt  # her only key result is graded
    assert owner.title == f"{cycle.name} has ended: time for the retrospective"


def test_an_owner_with_both_is_asked_once_for_both(world: World) -> None:
    from okrcoach.okrs.tests.factories import KeyResultFactory

    _in_tokyo(world.member)
    cycle = _cycle(world)
    goal = objective(world.member, cycle=cycle, title="Refunds reach people within a day")
    KeyResultFactory(objective=goal, owner=world.member)
    assert remind_organisation(world.org, END_DAY_10_TOKYO) == 1
    [both] = _retro_notes(world.member)
    assert both.title == f"{cycle.name} has ended: time to grade and write the retrospective"
    assert "Grade the 1 key result you own that has no grade yet." in both.excerpt
    assert "Refunds reach people within a day" in both.excerpt
