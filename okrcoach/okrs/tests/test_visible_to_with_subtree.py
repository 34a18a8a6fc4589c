"""`visible_to(actor, subtree)`: a page that has the reader's reporting subtree already (its
`Reach`) names the ids; the rows are the same as walking the reporting line in SQL."""

from __future__ import annotations

import pytest

from conftest import World
from okrcoach.okrs import permissions
from okrcoach.okrs.models import ContributionLink, Cycle, KeyResult, Objective
from okrcoach.okrs.permissions import Reach

from .factories import KeyResultFactory, ObjectiveFactory


def spread(world: World, cycle: Cycle) -> None:
    """A public and a private objective (with a key result) for each person, aligned to the
    executive's private one."""
    top = ObjectiveFactory(
        cycle=cycle, owner=world.executive, visibility=Objective.Visibility.PRIVATE
    )
    for m in (world.admin, world.manager, world.member, world.peer, world.executive):
        for visibility in Objective.Visibility.values:
            o = ObjectiveFactory(cycle=cycle, owner=m, visibility=visibility, parent=top)
            KeyResultFactory(objective=o)


@pytest.mark.parametrize("limit", [1000, 0])
@pytest.mark.parametrize("who", ["manager", "member", "peer", "executive"])
def test_the_same_rows_whether_the_subtree_is_named_or_walked(
    world: World, cycle: Cycle, who: str, limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(permissions, "SUBTREE_LITERAL_MAX", limit)
    spread(world, cycle)
    actor = getattr(world, who)
    subtree = Reach(actor).subtree
    for model in (Objective, KeyResult, ContributionLink):
        qs = model.objects.for_org(world.org)
        walked = {(r.pk, getattr(r, "parent_id", None)) for r in qs.visible_to(actor)}
        named = {(r.pk, getattr(r, "parent_id", None)) for r in qs.visible_to(actor, subtree)}
        assert walked == named
    # A parent the reader may not see comes out as None either way.
    base = Objective.objects.for_org(world.org).filter(parent__isnull=False)
    named_parents = {(o.pk, o.parent is None) for o in base.visible_to(actor, subtree)}
    walked_parents = {(o.pk, o.parent is None) for o in base.visible_to(actor)}
    assert named_parents == walked_parents
    if who == "member":
        assert subtree == set()
    if who == "manager":
        assert subtree == {world.member.pk, world.peer.pk}
