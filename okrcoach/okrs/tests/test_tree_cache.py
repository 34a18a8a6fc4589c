"""The company tree's cached sections (okrs/fragments.py `tree_key`): every change to what a
node shows appears on the next read, whatever path it took, and the markup never crosses
readers who see different children or organisations."""

from __future__ import annotations

from typing import cast

from django.urls import reverse

from conftest import World
from okrcoach.accounts.models import User
from okrcoach.okrs.models import Cycle, Objective

from .factories import CycleFactory, ObjectiveFactory
from .test_fragments import client_for, page


def company(world: World) -> str:
    return reverse("okrs:company", args=[world.org.slug])


def company_objective(world: World, cycle: Cycle, title: str = "Win the north") -> Objective:
    return cast(
        Objective,
        ObjectiveFactory(
            cycle=cycle, owner=world.admin, level=Objective.Level.COMPANY, team=None, title=title
        ),
    )


def test_a_bare_update_and_a_renamed_owner_show_on_the_next_read(
    world: World, cycle: Cycle
) -> None:
    top = company_objective(world, cycle)
    client = client_for(world.member)
    assert "Win the north" in page(client, company(world))
    Objective.objects.filter(pk=top.pk).update(title="Own the north", progress=0.5)
    User.objects.filter(pk=world.admin.user_id).update(full_name="Adaeze Admin")
    body = page(client, company(world))
    assert "Own the north" in body and "Win the north" not in body
    assert 'value="50"' in body and "Adaeze Admin" in body


def test_each_reader_sees_the_count_of_the_children_they_may_see(
    world: World, cycle: Cycle
) -> None:
    top = company_objective(world, cycle)
    ObjectiveFactory(cycle=cycle, owner=world.member, team=world.team, parent=top)
    ObjectiveFactory(
        cycle=cycle,
        owner=world.member,
        team=world.team,
        parent=top,
        visibility=Objective.Visibility.PRIVATE,
    )
    peer, owner = client_for(world.peer), client_for(world.member)
    assert "Show 1 aligned objective<" in page(peer, company(world))
    assert "Show 2 aligned objectives<" in page(owner, company(world))
    assert "Show 1 aligned objective<" in page(peer, company(world))
    ObjectiveFactory(cycle=cycle, owner=world.peer, team=world.team, parent=top)
    assert "Show 2 aligned objectives<" in page(peer, company(world))


def test_the_tree_never_crosses_organisations(world: World, cycle: Cycle) -> None:
    ours = company_objective(world, cycle, "Same words in both places")
    theirs = ObjectiveFactory(
        cycle=CycleFactory(organisation=world.other_org),
        owner=world.outsider,
        level=Objective.Level.COMPANY,
        team=None,
        title="Same words in both places",
    )
    page(client_for(world.member), company(world))
    other = page(client_for(world.outsider), reverse("okrs:company", args=[world.other_org.slug]))
    assert str(theirs.public_id) in other and str(ours.public_id) not in other
    assert f"/o/{world.org.slug}/" not in other
