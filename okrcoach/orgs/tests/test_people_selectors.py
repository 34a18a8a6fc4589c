from __future__ import annotations

import pytest

from conftest import World
from okrcoach.orgs import selectors
from okrcoach.orgs.models import Membership
from okrcoach.orgs.tests.factories import MembershipFactory


def _chain(world: World, depth: int) -> list[Membership]:
    people = [world.manager]
    for _ in range(depth):
        people.append(MembershipFactory(organisation=world.org, manager=people[-1]))
    return people


@pytest.mark.django_db
def test_direct_reports_are_one_query(world: World, assert_queries) -> None:
    with assert_queries(1):
        reports = list(selectors.direct_reports(world.manager))
    assert {m.pk for m in reports} == {world.member.pk, world.peer.pk}


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [2, 12])
def test_reporting_subtree_is_one_query_whatever_the_depth(
    world: World, assert_queries, depth: int
) -> None:
    chain = _chain(world, depth)
    with assert_queries(1):
        below = {m.pk for m in selectors.reporting_subtree(world.executive)}
    assert {m.pk for m in chain} | {world.member.pk, world.peer.pk} == below


@pytest.mark.django_db
def test_subtree_never_includes_another_organisation(world: World) -> None:
    MembershipFactory(organisation=world.other_org, manager=None)
    below = selectors.reporting_subtree(world.executive)
    assert all(m.organisation_id == world.org.pk for m in below)


@pytest.mark.django_db
def test_manager_chain_is_nearest_first(world: World) -> None:
    assert selectors.manager_chain(world.member) == [world.manager, world.executive]
