"""The company tree's top level: objectives with no parent or a parent the reader may not see.
Only a private parent can be hidden, so every objective carries `tree_top_cycle` (its cycle when
it has no parent or a private one), kept by the database's triggers (migration 0006) on every
write path; the top level is read through the partial index on that column. These tests write
through each path and read the column back, and check that the top level is the same as the
rule it replaces."""

from __future__ import annotations

from typing import cast

import pytest
from django.db.models import Q

from conftest import World
from okrcoach.okrs.models import Cycle, Objective
from okrcoach.okrs.permissions import visible_q
from okrcoach.okrs.selectors import tree

from .factories import CycleFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db(transaction=False)
PRIVATE, PUBLIC = Objective.Visibility.PRIVATE, Objective.Visibility.PUBLIC


def _flag(objective: Objective) -> bool:
    """Is the objective a candidate for the top of its cycle's tree?"""
    top = Objective.objects.filter(pk=objective.pk).values_list("tree_top_cycle", flat=True)[0]
    assert top in (None, objective.cycle_id)
    return top is not None


def _pair(world: World, cycle: Cycle) -> tuple[Objective, Objective]:
    """The manager's private objective, and the member's private objective aligned to it."""
    parent = ObjectiveFactory(cycle=cycle, owner=world.manager, visibility=PRIVATE)
    child = ObjectiveFactory(cycle=cycle, owner=world.member, visibility=PRIVATE, parent=parent)
    return cast(Objective, parent), cast(Objective, child)


def test_a_saved_child_knows_its_parent_is_private(world: World, cycle: Cycle) -> None:
    parent, child = _pair(world, cycle)
    assert _flag(child) is True  # a private parent
    assert _flag(parent) is True  # no parent at all
    public_child = ObjectiveFactory(cycle=cycle, owner=world.manager, parent=parent)
    public_child.parent = ObjectiveFactory(cycle=cycle, owner=world.manager)
    public_child.save()
    assert _flag(public_child) is False  # a public parent
    # The stale value a full save() writes back is recomputed.
    child.title = "Renamed"
    child.save()
    assert _flag(child) is True


def test_the_flag_follows_the_parent_s_visibility(world: World, cycle: Cycle) -> None:
    parent, child = _pair(world, cycle)
    parent.visibility = PUBLIC
    parent.save()
    assert _flag(child) is False
    Objective.objects.filter(pk=parent.pk).update(visibility=PRIVATE)
    assert _flag(child) is True


def test_the_flag_follows_re_parenting_and_deletion(world: World, cycle: Cycle) -> None:
    parent, child = _pair(world, cycle)
    public = ObjectiveFactory(cycle=cycle, owner=world.manager, visibility=PUBLIC)
    Objective.objects.filter(pk=child.pk).update(parent=public)
    assert _flag(child) is False
    Objective.objects.filter(pk=child.pk).update(parent=parent)
    assert _flag(child) is True
    parent.delete()  # the child's parent is set to none: it heads the tree
    assert _flag(child) is True


def test_the_flag_follows_a_move_to_another_cycle(world: World, cycle: Cycle) -> None:
    _parent, child = _pair(world, cycle)
    other = CycleFactory(organisation=world.org, name="Next quarter")
    Objective.objects.filter(pk=child.pk).update(cycle=other)
    child.refresh_from_db()
    assert child.tree_top_cycle == other.pk


def test_bulk_created_children_know_too(world: World, cycle: Cycle) -> None:
    parent = ObjectiveFactory(cycle=cycle, owner=world.manager, visibility=PRIVATE)
    made = Objective.objects.bulk_create(
        [
            Objective(
                organisation=world.org,
                cycle=cycle,
                owner=world.member,
                title=f"Bulk {i}",
                visibility=PRIVATE,
                parent=parent,
            )
            for i in range(3)
        ]
    )
    tops = Objective.objects.filter(pk__in=[o.pk for o in made], tree_top_cycle=cycle.pk)
    assert tops.count() == 3


def test_the_top_level_is_what_the_rule_says(world: World, cycle: Cycle) -> None:
    parent, child = _pair(world, cycle)
    top = ObjectiveFactory(cycle=cycle, owner=world.executive, level=Objective.Level.COMPANY)
    aligned = ObjectiveFactory(cycle=cycle, owner=world.peer, visibility=PUBLIC, parent=top)
    for actor in (world.member, world.peer, world.manager, world.executive, world.admin):
        shown = set(Objective.objects.for_org(world.org).shown_as_root(actor, cycle))
        rule = set(
            Objective.objects.for_org(world.org).filter(
                Q(parent__isnull=True) | ~visible_q(actor, "parent__"), cycle=cycle
            )
        )
        assert shown == rule, actor
        assert aligned not in shown
    # The member cannot see her manager's private objective: hers shows at the top.
    page = tree.company_page(world.member)
    assert child in page.orphans and parent not in page.orphans + page.roots
    # Her manager sees both, the child under its parent.
    page = tree.company_page(world.manager)
    assert parent in page.orphans and child not in page.orphans
