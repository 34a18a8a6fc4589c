"""Issue 10, problems 5 and 15: the rules behind the visibility walk (test_private_never_leaks),
one by one, and a team lead cannot move her team's objective onto another team.

The alignment rule: a child is never more visible than its parent. A public objective cannot
align to a private one, and an objective with public children cannot be made private."""

from __future__ import annotations

from typing import cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from conftest import World
from okrcoach.okrs.models import ContributionLink, Cycle, Objective
from okrcoach.okrs.selectors import exporting, tree
from okrcoach.okrs.services.objectives import ObjectiveData, create_objective, update_objective
from okrcoach.orgs.models import Team

from .factories import KeyResultFactory, ObjectiveFactory

SECRET = "Sell the Kestrel-9 depot quietly"


def _private(world: World, cycle: Cycle) -> Objective:
    return cast(
        Objective,
        ObjectiveFactory(
            cycle=cycle,
            owner=world.executive,
            level=Objective.Level.COMPANY,
            visibility=Objective.Visibility.PRIVATE,
            title=SECRET,
        ),
    )


def test_a_public_objective_cannot_align_to_a_private_one(world: World, cycle: Cycle) -> None:
    secret = _private(world, cycle)
    with pytest.raises(ValidationError) as exc:
        create_objective(
            actor=world.admin,
            cycle=cycle,
            data=ObjectiveData(
                title="Cut depot costs", level=Objective.Level.PERSONAL, parent=secret
            ),
        )
    assert "parent" in exc.value.message_dict
    # Private under private is fine.
    create_objective(
        actor=world.admin,
        cycle=cycle,
        data=ObjectiveData(
            title="Cut depot costs",
            level=Objective.Level.PERSONAL,
            parent=secret,
            visibility=Objective.Visibility.PRIVATE,
        ),
    )


def test_an_objective_with_public_children_cannot_be_made_private(
    world: World, cycle: Cycle
) -> None:
    parent = ObjectiveFactory(cycle=cycle, owner=world.member, title="Serve the north region")
    ObjectiveFactory(cycle=cycle, owner=world.peer, parent=parent)
    with pytest.raises(ValidationError) as exc:
        update_objective(
            actor=world.member,
            objective=parent,
            version=parent.version,
            data=ObjectiveData(
                title=parent.title,
                level=parent.level,
                visibility=Objective.Visibility.PRIVATE,
            ),
        )
    assert "visibility" in exc.value.message_dict


def test_a_hidden_parent_shows_nowhere_on_the_childs_page_export_and_api(
    world: World, cycle: Cycle
) -> None:
    """Data from before the rule: a public child under a private parent."""
    secret = _private(world, cycle)
    child = ObjectiveFactory(cycle=cycle, owner=world.peer, parent=secret)
    client = Client()
    client.force_login(world.peer.user)
    page = client.get(f"/o/acme/okrs/objectives/{child.public_id}/").content.decode()
    assert SECRET not in page and str(secret.public_id) not in page
    csv = exporting.cycle_csv(world.peer, cycle).decode("utf-8-sig")
    assert SECRET not in csv
    # The child's editor saves it through the form without losing the link it cannot see.
    edit = f"/o/acme/okrs/objectives/{child.public_id}/edit/"
    form = client.get(edit).content.decode()
    assert SECRET not in form
    response = client.post(
        edit,
        {
            "title": "Tidy the yard",
            "description": "",
            "level": child.level,
            "type": child.type,
            "visibility": child.visibility,
            "status": child.status,
            "weight": "1",
            "team": "",
            "owner": "",
            "parent": "",
            "version": child.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    child.refresh_from_db()
    assert (child.title, child.parent_id) == ("Tidy the yard", secret.pk)
    # An admin sees the link.
    admin_view = Objective.objects.for_org(world.org).visible_to(world.admin).get(pk=child.pk)
    assert admin_view.parent == secret


def test_key_results_of_private_objectives_are_not_listed_as_counted_here(
    world: World, cycle: Cycle
) -> None:
    secret = _private(world, cycle)
    mine = ObjectiveFactory(cycle=cycle, owner=world.peer)
    link = ContributionLink.objects.for_org(world.org).create(
        organisation=world.org, objective=mine, key_result=KeyResultFactory(objective=secret)
    )
    visible = ContributionLink.objects.for_org(world.org).visible_to(world.peer)
    assert link not in visible
    assert link in ContributionLink.objects.for_org(world.org).visible_to(world.admin)


def test_coverage_counts_only_what_the_reader_may_see(world: World, cycle: Cycle) -> None:
    secret = ObjectiveFactory(
        cycle=cycle,
        owner=world.executive,
        team=world.team,
        level=Objective.Level.TEAM,
        visibility=Objective.Visibility.PRIVATE,
    )
    ObjectiveFactory(cycle=cycle, owner=world.peer, level=Objective.Level.PERSONAL)
    ObjectiveFactory(
        cycle=cycle,
        owner=world.executive,
        level=Objective.Level.PERSONAL,
        parent=secret,
        visibility=Objective.Visibility.PRIVATE,
    )
    peer = tree.company_coverage(world.peer, str(cycle.public_id))
    admin = tree.company_coverage(world.admin, str(cycle.public_id))
    assert peer is not None and admin is not None
    assert (peer.alignable, peer.aligned) == (1, 0)
    assert (admin.alignable, admin.aligned) == (3, 1)


@pytest.mark.django_db
def test_a_team_lead_cannot_move_her_team_objective_onto_another_team(
    world: World, cycle: Cycle
) -> None:
    other = Team.objects.for_org(world.org).create(
        organisation=world.org, name="Sales", slug="sales"
    )
    goal = ObjectiveFactory(
        cycle=cycle, owner=world.manager, team=world.team, level=Objective.Level.TEAM
    )
    with pytest.raises(PermissionDenied):
        update_objective(
            actor=world.manager,
            objective=goal,
            version=goal.version,
            data=ObjectiveData(title=goal.title, level=Objective.Level.TEAM, team=other),
        )
    goal.refresh_from_db()
    assert goal.team_id == world.team.pk
    # Her own team is still hers to edit; an admin may move it.
    update_objective(
        actor=world.admin,
        objective=goal,
        version=goal.version,
        data=ObjectiveData(title=goal.title, level=Objective.Level.TEAM, team=other),
    )
