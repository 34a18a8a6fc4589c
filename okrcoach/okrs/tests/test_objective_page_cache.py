"""The objective page's content is kept in the fragment cache under a key naming everything it
shows (okrs/fragments.py objective_page_key): every write shows on the next read, whatever
path it took (bare queryset updates included), and readers with different rights or sight never
share an entry."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal as D
from typing import cast

from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from conftest import World
from okrcoach.accounts.models import User
from okrcoach.okrs.models import ContributionLink, Cycle, KeyResult, Objective, Retrospective
from okrcoach.orgs.models import Team

from .factories import CycleFactory, KeyResultFactory, ObjectiveFactory


def client_for(world: World, who: str) -> Client:
    c = Client()
    c.force_login(getattr(world, who).user)
    return c


def read(client: Client, world: World, o: Objective) -> str:
    response = client.get(reverse("okrs:objective_detail", args=[world.org.slug, o.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def without_tokens(body: str) -> str:
    """The page without what differs per request (CSRF tokens, CSP nonces)."""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    body = re.sub(r'"X-CSRFToken": "[^"]+"', "", body)
    return re.sub(r'nonce="[^"]+"', "", body)


def make(world: World, cycle: Cycle) -> tuple[Objective, KeyResult]:
    o = ObjectiveFactory(
        cycle=cycle, owner=world.member, team=world.team, title="Parcels arrive on time"
    )
    kr = KeyResultFactory(objective=o, title="On-time rate from 80% to 95%")
    return cast(Objective, o), cast(KeyResult, kr)


def test_the_page_content_is_cached_and_read_back_identically(world: World, cycle: Cycle) -> None:
    o, _kr = make(world, cycle)
    client = client_for(world, "manager")
    first = read(client, world, o)
    assert any("okrs:objective-page" in str(k) for k in caches["fragments"]._cache)
    second = read(client, world, o)
    assert without_tokens(first) == without_tokens(second)
    assert "placeholder" not in second.replace('placeholder="New initiative"', "")


def test_bare_updates_of_the_objective_its_cycle_team_and_owner_show_on_the_next_read(
    world: World, cycle: Cycle
) -> None:
    o, _kr = make(world, cycle)
    client = client_for(world, "peer")
    read(client, world, o)
    Objective.objects.filter(pk=o.pk).update(description="Customers plan around us")
    Cycle.objects.filter(pk=cycle.pk).update(name="Autumn push")
    Team.objects.filter(pk=world.team.pk).update(name="Deliveries")
    User.objects.filter(pk=world.member.user_id).update(full_name="Maxine Member")
    body = read(client, world, o)
    assert "Customers plan around us" in body
    assert "Autumn push" in body
    assert "Deliveries" in body
    assert "Maxine Member" in body


def test_children_links_contributors_and_the_retrospective_show_on_the_next_read(
    world: World, cycle: Cycle
) -> None:
    o, _kr = make(world, cycle)
    client = client_for(world, "manager")
    assert "Only the owner so far." in read(client, world, o)
    child = ObjectiveFactory(cycle=cycle, owner=world.peer, parent=o, title="Vans leave by 8")
    counted = KeyResultFactory(
        objective=ObjectiveFactory(cycle=cycle, owner=world.peer), title="Depot scans 99%"
    )
    ContributionLink.objects.create(
        organisation=world.org, objective=o, key_result=counted, weight=D(1)
    )
    o.contributors.add(world.peer)
    Retrospective.objects.create(
        organisation=world.org, cycle=cycle, objective=o, author=world.member, learned="Plan early"
    )
    body = read(client, world, o)
    assert "Vans leave by 8" in body
    assert "Depot scans 99%" in body
    assert "Only the owner so far." not in body and escape(world.peer.user.full_name) in body
    assert "Plan early" in body
    Objective.objects.filter(pk=child.pk).update(title="Vans leave by 7")
    assert "Vans leave by 7" in read(client, world, o)


def test_a_later_cycle_is_offered_on_the_next_read(world: World, cycle: Cycle) -> None:
    o, _kr = make(world, cycle)
    client = client_for(world, "manager")
    assert "Carry over" not in read(client, world, o)
    CycleFactory(
        organisation=world.org,
        name="Next quarter",
        starts_on=cycle.ends_on + timedelta(days=1),
        state=Cycle.State.PLANNING,
    )
    assert "Next quarter" in read(client, world, o)


def test_readers_with_different_rights_never_share_the_content(world: World, cycle: Cycle) -> None:
    o, _kr = make(world, cycle)
    edit = reverse("okrs:objective_edit", args=[world.org.slug, o.public_id])
    assert edit in read(client_for(world, "manager"), world, o)
    assert edit not in read(client_for(world, "peer"), world, o)
    assert edit in read(client_for(world, "manager"), world, o)


def test_a_parent_made_private_disappears_for_those_who_may_not_see_it(
    world: World, cycle: Cycle
) -> None:
    parent = ObjectiveFactory(cycle=cycle, owner=world.manager, title="A reliable network")
    o, _kr = make(world, cycle)
    Objective.objects.filter(pk=o.pk).update(parent=parent)
    peer = client_for(world, "peer")
    assert "A reliable network" in read(peer, world, o)
    Objective.objects.filter(pk=parent.pk).update(visibility=Objective.Visibility.PRIVATE)
    assert "A reliable network" not in read(peer, world, o)
    assert "A reliable network" in read(client_for(world, "executive"), world, o)


def test_a_private_child_is_listed_only_for_those_who_may_see_it(
    world: World, cycle: Cycle
) -> None:
    o, _kr = make(world, cycle)
    ObjectiveFactory(
        cycle=cycle,
        owner=world.member,
        parent=o,
        title="A private plan",
        visibility=Objective.Visibility.PRIVATE,
    )
    assert "A private plan" in read(client_for(world, "manager"), world, o)
    assert "A private plan" not in read(client_for(world, "peer"), world, o)
