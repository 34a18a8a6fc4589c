"""Deleting objectives, key results, contribution links and teams: when it is refused, that nothing
is deleted then, and what the allowed path removes and keeps."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any, cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import World
from okrcoach.core.models import AuditEvent
from okrcoach.okrs import rollup
from okrcoach.okrs.models import (
    CheckIn,
    ContributionLink,
    Cycle,
    Initiative,
    KeyResult,
    Objective,
    Retrospective,
)
from okrcoach.okrs.services import alignment as alignment_services
from okrcoach.okrs.services import key_results as key_results_services
from okrcoach.okrs.services import objectives as objectives_services
from okrcoach.orgs import services as org_services
from okrcoach.orgs.models import Team
from okrcoach.orgs.tests.factories import MembershipFactory, TeamFactory

from .factories import CheckInFactory, InitiativeFactory, KeyResultFactory, ObjectiveFactory


def _objective(world: World, cycle: Cycle, **kwargs: Any) -> Objective:
    fields: dict[str, Any] = {"cycle": cycle, "owner": world.member, "team": world.team, **kwargs}
    return cast(Objective, ObjectiveFactory(**fields))


def _rows(world: World) -> dict[str, int]:
    return {
        model.__name__: model.objects.for_org(world.org).count()
        for model in (Objective, KeyResult, CheckIn, Initiative, ContributionLink, Retrospective)
    } | {"AuditEvent": AuditEvent.objects.for_org(world.org).count()}


def _events(world: World, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.for_org(world.org).filter(action=action))


# --- objectives ----------------------------------------------------------------------------------


def test_an_objective_nobody_checked_in_on_is_deleted_with_its_key_results(
    world: World, cycle: Cycle
) -> None:
    objective = _objective(world, cycle)
    kr = KeyResultFactory(objective=objective)
    InitiativeFactory(key_result=kr)
    public_id = str(objective.public_id)
    objectives_services.delete_objective(actor=world.member, objective=objective)
    assert not Objective.objects.for_org(world.org).exists()
    assert not KeyResult.objects.for_org(world.org).exists()
    assert not Initiative.objects.for_org(world.org).exists()
    [event] = _events(world, "okrs.objective.deleted")
    assert (event.target_id, event.actor_user_id) == (public_id, world.member.user_id)


def test_an_objective_with_check_ins_is_not_deleted_and_nothing_is_removed(
    world: World, cycle: Cycle
) -> None:
    objective = _objective(world, cycle)
    KeyResultFactory(objective=objective)
    CheckInFactory(key_result=KeyResultFactory(objective=objective))
    before = _rows(world)
    with pytest.raises(ValidationError) as info:
        objectives_services.delete_objective(actor=world.admin, objective=objective)
    assert "status" in info.value.message_dict  # the user is pointed at "abandoned"
    assert _rows(world) == before


def test_deleting_a_parent_keeps_its_aligned_children_unaligned(world: World, cycle: Cycle) -> None:
    parent = _objective(world, cycle, owner=world.manager)
    child = _objective(world, cycle, parent=parent)
    objectives_services.delete_objective(actor=world.manager, objective=parent)
    child.refresh_from_db()
    assert child.parent_id is None


def test_deleting_a_child_refreshes_its_parents_progress(world: World, cycle: Cycle) -> None:
    world.org.rollup_includes_children = True
    world.org.save()
    parent = _objective(world, cycle, owner=world.manager)
    KeyResultFactory(objective=parent, current_value=D(100), progress=D(1))
    child = _objective(world, cycle, parent=parent)
    KeyResultFactory(objective=child, current_value=D(0), progress=D(0))
    rollup.recompute_organisation(world.org)
    parent.refresh_from_db()
    assert parent.progress == D("0.5")
    objectives_services.delete_objective(actor=world.member, objective=child)
    parent.refresh_from_db()
    assert parent.progress == D(1)


def test_a_carried_over_original_can_go_and_the_copy_stays(world: World, cycle: Cycle) -> None:
    original = _objective(world, cycle)
    copy = _objective(world, cycle, carried_from=original)
    objectives_services.delete_objective(actor=world.member, objective=original)
    copy.refresh_from_db()
    assert copy.carried_from_id is None


@pytest.mark.parametrize("who", ["peer", "executive_elsewhere"])
def test_someone_who_may_not_edit_the_objective_cannot_delete_it(
    world: World, cycle: Cycle, who: str
) -> None:
    actor = (
        world.peer if who == "peer" else MembershipFactory(organisation=world.org, role="executive")
    )
    objective = _objective(world, cycle)
    before = _rows(world)
    with pytest.raises(PermissionDenied):
        objectives_services.delete_objective(actor=actor, objective=objective)
    assert _rows(world) == before


def test_an_admin_of_another_organisation_cannot_delete_the_objective(
    world: World, cycle: Cycle
) -> None:
    objective = _objective(world, cycle)
    CheckInFactory(key_result=KeyResultFactory(objective=objective))
    before = _rows(world)
    with pytest.raises(PermissionDenied):
        objectives_services.delete_objective(actor=world.outsider, objective=objective)
    assert _rows(world) == before


def test_the_team_lead_and_an_admin_may_delete_an_objective(world: World, cycle: Cycle) -> None:
    lead = MembershipFactory(organisation=world.org)
    team = TeamFactory(organisation=world.org, lead=lead)
    for actor in (lead, world.admin):
        objective = _objective(world, cycle, team=team, level=Objective.Level.TEAM)
        objectives_services.delete_objective(actor=actor, objective=objective)
    assert not Objective.objects.for_org(world.org).exists()


# --- key results ---------------------------------------------------------------------------------


def test_a_key_result_without_check_ins_is_deleted_and_its_objective_rolls_up_again(
    world: World, cycle: Cycle
) -> None:
    objective = _objective(world, cycle)
    KeyResultFactory(objective=objective, current_value=D(100), progress=D(1))
    gone = KeyResultFactory(objective=objective, current_value=D(0), progress=D(0))
    rollup.recompute_organisation(world.org)
    key_results_services.delete_key_result(actor=world.member, key_result=gone)
    objective.refresh_from_db()
    assert objective.progress == D(1)
    assert not KeyResult.objects.for_org(world.org).filter(pk=gone.pk).exists()
    assert len(_events(world, "okrs.key_result.deleted")) == 1


def test_a_key_result_with_check_ins_is_kept_and_nothing_is_removed(
    world: World, cycle: Cycle
) -> None:
    kr = KeyResultFactory(objective=_objective(world, cycle))
    CheckInFactory(key_result=kr)
    InitiativeFactory(key_result=kr)
    before = _rows(world)
    with pytest.raises(ValidationError) as info:
        key_results_services.delete_key_result(actor=world.admin, key_result=kr)
    assert "key_result" in info.value.message_dict
    assert _rows(world) == before


def test_deleting_a_key_result_drops_its_contribution_links_and_refreshes_those_objectives(
    world: World, cycle: Cycle
) -> None:
    kr = KeyResultFactory(objective=_objective(world, cycle), current_value=D(0), progress=D(0))
    other = _objective(world, cycle, owner=world.peer)
    KeyResultFactory(objective=other, current_value=D(100), progress=D(1))
    alignment_services.link_contribution(actor=world.peer, objective=other, key_result=kr)
    other.refresh_from_db()
    assert other.progress == D("0.5")
    key_results_services.delete_key_result(actor=world.member, key_result=kr)
    other.refresh_from_db()
    assert not ContributionLink.objects.for_org(world.org).exists()
    assert other.progress == D(1)


def test_the_owner_of_only_a_key_result_cannot_delete_it(world: World, cycle: Cycle) -> None:
    # Owning a key result lets you check in on it, not remove it from someone's objective.
    kr = KeyResultFactory(objective=_objective(world, cycle, owner=world.peer), owner=world.member)
    with pytest.raises(PermissionDenied):
        key_results_services.delete_key_result(actor=world.member, key_result=kr)
    assert KeyResult.objects.for_org(world.org).filter(pk=kr.pk).exists()


def test_an_admin_of_another_organisation_cannot_delete_a_key_result(
    world: World, cycle: Cycle
) -> None:
    kr = KeyResultFactory(objective=_objective(world, cycle))
    with pytest.raises(PermissionDenied):
        key_results_services.delete_key_result(actor=world.outsider, key_result=kr)
    assert KeyResult.objects.for_org(world.org).filter(pk=kr.pk).exists()


# --- contribution links --------------------------------------------------------------------------


def test_unlinking_a_contribution_keeps_the_key_result_and_rolls_up(
    world: World, cycle: Cycle
) -> None:
    kr = KeyResultFactory(objective=_objective(world, cycle), progress=D(0))
    other = _objective(world, cycle, owner=world.peer)
    KeyResultFactory(objective=other, progress=D(1))
    link = alignment_services.link_contribution(actor=world.peer, objective=other, key_result=kr)
    with pytest.raises(PermissionDenied):
        alignment_services.unlink_contribution(actor=world.member, link=link)
    alignment_services.unlink_contribution(actor=world.peer, link=link)
    other.refresh_from_db()
    assert other.progress == D(1)
    assert KeyResult.objects.for_org(world.org).filter(pk=kr.pk).exists()
    assert len(_events(world, "okrs.contribution.unlinked")) == 1


# --- teams ---------------------------------------------------------------------------------------


def test_an_empty_team_is_deleted_by_an_admin(world: World) -> None:
    team = TeamFactory(organisation=world.org)
    org_services.delete_team(actor=world.admin, team=team)
    assert not Team.objects.for_org(world.org).filter(pk=team.pk).exists()
    assert len(_events(world, "orgs.team.deleted")) == 1


def test_the_company_team_is_never_deleted(world: World) -> None:
    company = Team.objects.for_org(world.org).get(parent__isnull=True)
    with pytest.raises(ValidationError):
        org_services.delete_team(actor=world.admin, team=company)
    assert Team.objects.for_org(world.org).filter(pk=company.pk).exists()


def test_a_team_with_sub_teams_is_not_deleted(world: World) -> None:
    parent = TeamFactory(organisation=world.org)
    TeamFactory(organisation=world.org, parent=parent)
    with pytest.raises(ValidationError) as info:
        org_services.delete_team(actor=world.admin, team=parent)
    assert "sub-teams" in " ".join(info.value.messages)
    assert Team.objects.for_org(world.org).filter(pk=parent.pk).exists()


def test_a_team_with_active_members_is_not_deleted(world: World) -> None:
    events = AuditEvent.objects.for_org(world.org).count()
    with pytest.raises(ValidationError):
        org_services.delete_team(actor=world.admin, team=world.team)
    assert Team.objects.for_org(world.org).filter(pk=world.team.pk).exists()
    assert AuditEvent.objects.for_org(world.org).count() == events


def test_only_an_admin_of_the_organisation_deletes_a_team(world: World) -> None:
    team = TeamFactory(organisation=world.org)
    for actor in (world.manager, world.executive, world.outsider):
        with pytest.raises(PermissionDenied):
            org_services.delete_team(actor=actor, team=team)
    assert Team.objects.for_org(world.org).filter(pk=team.pk).exists()
