"""The cast of growth tests, on top of the root personas: Max (member) reports to Mia (manager),
who reports to Sky (a skip-level manager, plain member role), who reports to Eve (executive).
Pat is Max's teammate (peer), Cleo a colleague in another team with no line to Max, Xavi an
executive outside Max's line, Ada the admin, Oscar a member of another organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import World
from okrcoach.growth import services
from okrcoach.growth.models import Meeting, OneOnOneSeries, Skill
from okrcoach.orgs.models import Membership, Role
from okrcoach.orgs.tests.factories import MembershipFactory


@dataclass
class Cast:
    world: World
    person: Membership
    manager: Membership
    skip: Membership
    admin: Membership
    exec2: Membership
    peer: Membership
    colleague: Membership
    outsider: Membership


@pytest.fixture
def cast(world: World) -> Cast:
    skip = Membership.objects.for_org(world.org).get(
        pk=MembershipFactory(
            organisation=world.org,
            manager=world.executive,
            user__full_name="Sky Skiplevel",
            user__email="sky@acme.test",
        ).pk
    )
    world.manager.manager = skip
    world.manager.save()
    exec2 = MembershipFactory(
        organisation=world.org,
        role=Role.EXECUTIVE,
        user__full_name="Xavi Exec",
        user__email="xavi@acme.test",
    )
    colleague = MembershipFactory(
        organisation=world.org,
        manager=world.executive,
        user__full_name="Cleo Colleague",
        user__email="cleo@acme.test",
    )
    return Cast(
        world,
        world.member,
        world.manager,
        skip,
        world.admin,
        exec2,
        world.peer,
        colleague,
        world.outsider,
    )


def make_series(cast: Cast) -> tuple[OneOnOneSeries, Meeting]:
    series = services.create_series(
        actor=cast.manager,
        report=cast.person,
        rhythm_days=14,
        first_meeting_on=timezone.localdate() - timedelta(days=14),
    )
    meeting = Meeting.objects.for_org(cast.world.org).get(series=series)
    return series, meeting


def make_skill(cast: Cast, name: str = "Route planning") -> Skill:
    return services.create_skill(
        actor=cast.admin,
        name=name,
        description="Plans routes that hold up on the day.",
        levels=[
            ("Learning", "Follows a route someone else planned."),
            ("Practising", "Plans a day's routes with help."),
            ("Independent", "Plans a week's routes and fixes them when the day changes."),
        ],
    )
