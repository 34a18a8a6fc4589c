"""Carrying an unfinished objective into a later cycle (`services.carry_over_objective`, the
"Carry over" form on the objective page)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D
from typing import Any, cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import World
from okrcoach.core.models import AuditEvent
from okrcoach.okrs.models import CheckIn, Cycle, KeyResult, Objective
from okrcoach.okrs.selectors import objective as objective_selectors
from okrcoach.okrs.services import objectives as objectives_services
from okrcoach.orgs.models import Role
from okrcoach.orgs.tests.factories import MembershipFactory

from .factories import CheckInFactory, CycleFactory, KeyResultFactory, ObjectiveFactory


def _later(world: World, after: Cycle, **kwargs: Any) -> Cycle:
    fields: dict[str, Any] = {
        "organisation": world.org,
        "starts_on": after.ends_on + timedelta(days=1),
        "state": Cycle.State.PLANNING,
        **kwargs,
    }
    return cast(Cycle, CycleFactory(**fields))


def _objective(world: World, cycle: Cycle, **kwargs: Any) -> Objective:
    fields: dict[str, Any] = {
        "cycle": cycle,
        "owner": world.member,
        "team": world.team,
        "level": Objective.Level.PERSONAL,
        **kwargs,
    }
    return cast(Objective, ObjectiveFactory(**fields))


def _rows(world: World) -> tuple[int, int, int, int]:
    return (
        Objective.objects.for_org(world.org).count(),
        KeyResult.objects.for_org(world.org).count(),
        CheckIn.objects.for_org(world.org).count(),
        AuditEvent.objects.for_org(world.org).count(),
    )


def test_carry_over_copies_the_objective_as_a_draft_linked_to_the_original(
    world: World, cycle: Cycle
) -> None:
    original = _objective(
        world,
        cycle,
        title="Make renewals painless",
        description="Churn doubled last quarter",
        type=Objective.Type.ASPIRATIONAL,
        visibility=Objective.Visibility.PRIVATE,
        weight=D(2),
    )
    later = _later(world, cycle)
    copy = objectives_services.carry_over_objective(
        actor=world.member, objective=original, to_cycle=later
    )
    copy.refresh_from_db()
    assert copy.pk != original.pk
    assert copy.cycle_id == later.pk
    assert copy.carried_from_id == original.pk
    assert copy.status == Objective.Status.DRAFT
    assert (copy.title, copy.description, copy.type, copy.visibility, copy.weight) == (
        "Make renewals painless",
        "Churn doubled last quarter",
        Objective.Type.ASPIRATIONAL,
        Objective.Visibility.PRIVATE,
        D(2),
    )
    assert (copy.owner_id, copy.team_id, copy.level) == (world.member.pk, world.team.pk, "personal")
    assert copy.score is None


def test_carry_over_leaves_the_original_untouched(world: World, cycle: Cycle) -> None:
    original = _objective(world, cycle)
    KeyResultFactory(objective=original, current_value=D(30), progress=D("0.3"))
    objectives_services.carry_over_objective(
        actor=world.member, objective=original, to_cycle=_later(world, cycle)
    )
    original.refresh_from_db()
    assert original.cycle_id == cycle.pk
    assert original.status == Objective.Status.PUBLISHED
    assert original.key_results.get().current_value == D(30)


def test_carry_over_does_not_keep_the_alignment_to_an_objective_of_the_old_cycle(
    world: World, cycle: Cycle
) -> None:
    parent = _objective(world, cycle, owner=world.manager)
    original = _objective(world, cycle, parent=parent)
    copy = objectives_services.carry_over_objective(
        actor=world.member, objective=original, to_cycle=_later(world, cycle)
    )
    assert copy.parent_id is None


def test_each_carried_key_result_starts_from_the_value_where_the_old_one_ended(
    world: World, cycle: Cycle
) -> None:
    original = _objective(world, cycle)
    KeyResultFactory(
        objective=original,
        title="Renewal calls answered within a day",
        baseline=D(20),
        target=D(80),
        stretch=D(95),
        current_value=D(50),
        weight=D(3),
        unit_kind=KeyResult.UnitKind.PERCENT,
        data_source="Helpdesk report",
        position=2,
    )
    copy = objectives_services.carry_over_objective(
        actor=world.member, objective=original, to_cycle=_later(world, cycle)
    )
    new = copy.key_results.get()
    assert new.title == "Renewal calls answered within a day"
    assert (new.baseline, new.current_value, new.target, new.stretch) == (
        D(50),
        D(50),
        D(80),
        D(95),
    )
    assert (new.weight, new.unit_kind, new.data_source, new.position) == (
        D(3),
        KeyResult.UnitKind.PERCENT,
        "Helpdesk report",
        2,
    )
    assert new.owner_id == world.member.pk
    assert new.progress == D(0)
    assert new.score is None


def test_a_key_result_never_checked_in_keeps_its_baseline(world: World, cycle: Cycle) -> None:
    original = _objective(world, cycle)
    KeyResultFactory(objective=original, baseline=D(20), target=D(80), current_value=None)
    copy = objectives_services.carry_over_objective(
        actor=world.member, objective=original, to_cycle=_later(world, cycle)
    )
    new = copy.key_results.get()
    assert (new.baseline, new.current_value) == (D(20), None)


def test_a_key_result_already_met_is_carried_with_a_target_still_ahead_of_its_baseline(
    world: World, cycle: Cycle
) -> None:
    original = _objective(world, cycle)
    KeyResultFactory(
        objective=original, baseline=D(0), target=D(100), current_value=D(120), progress=D(1)
    )
    KeyResultFactory(objective=original, baseline=D(0), target=D(100), current_value=D(10))
    copy = objectives_services.carry_over_objective(
        actor=world.member, objective=original, to_cycle=_later(world, cycle)
    )
    met, unmet = copy.key_results.order_by("pk")
    # The carried key result must still pass the rule create/update enforce.
    assert met.target is not None and met.baseline is not None
    assert met.target > met.baseline
    assert met.progress == D(1)
    assert (unmet.baseline, unmet.progress) == (D(10), D(0))


def test_a_decrease_already_met_keeps_its_baseline_when_carried(world: World, cycle: Cycle) -> None:
    original = _objective(world, cycle)
    KeyResultFactory(
        objective=original,
        direction=KeyResult.Direction.DECREASE,
        baseline=D(40),
        target=D(10),
        current_value=D(5),
    )
    copy = objectives_services.carry_over_objective(
        actor=world.member, objective=original, to_cycle=_later(world, cycle)
    )
    new = copy.key_results.get()
    assert (new.baseline, new.current_value, new.target, new.progress) == (D(40), D(5), D(10), D(1))


def test_carry_over_copies_neither_check_ins_nor_contributors(world: World, cycle: Cycle) -> None:
    original = _objective(world, cycle)
    original.contributors.set([world.peer])
    CheckInFactory(key_result=KeyResultFactory(objective=original), value=D(10))
    copy = objectives_services.carry_over_objective(
        actor=world.member, objective=original, to_cycle=_later(world, cycle)
    )
    assert not CheckIn.objects.for_org(world.org).filter(key_result__objective=copy).exists()
    assert not copy.contributors.exists()


def test_carry_over_writes_an_audit_row_naming_the_original(world: World, cycle: Cycle) -> None:
    original = _objective(world, cycle)
    copy = objectives_services.carry_over_objective(
        actor=world.member, objective=original, to_cycle=_later(world, cycle)
    )
    event = AuditEvent.objects.for_org(world.org).get(action="okrs.objective.carried_over")
    assert event.actor_user_id == world.member.user_id
    assert event.target_id == str(copy.public_id)
    assert event.data == {"from": str(original.public_id)}


def test_carry_over_into_an_active_later_cycle_is_allowed(world: World, cycle: Cycle) -> None:
    original = _objective(world, cycle)
    later = _later(world, cycle, state=Cycle.State.ACTIVE)
    assert objectives_services.carry_over_objective(
        actor=world.member, objective=original, to_cycle=later
    ).cycle_id == (later.pk)


def test_the_owners_manager_and_an_admin_may_carry_over(world: World, cycle: Cycle) -> None:
    original = _objective(world, cycle)
    for actor in (world.manager, world.admin):
        copy = objectives_services.carry_over_objective(
            actor=actor, objective=original, to_cycle=_later(world, cycle)
        )
        assert copy.owner_id == world.member.pk


def _refused(world: World, actor: Any, objective: Objective, to_cycle: Cycle, exc: type) -> None:
    before = _rows(world)
    with pytest.raises(exc):
        objectives_services.carry_over_objective(
            actor=actor, objective=objective, to_cycle=to_cycle
        )
    assert _rows(world) == before


def test_carry_over_into_the_same_cycle_is_refused_and_nothing_is_written(
    world: World, cycle: Cycle
) -> None:
    original = _objective(world, cycle)
    KeyResultFactory(objective=original)
    _refused(world, world.member, original, cycle, ValidationError)


def test_carry_over_into_an_earlier_cycle_is_refused(world: World, cycle: Cycle) -> None:
    original = _objective(world, cycle)
    earlier = CycleFactory(
        organisation=world.org,
        starts_on=cycle.starts_on - timedelta(weeks=13),
        ends_on=cycle.starts_on - timedelta(days=1),
        state=Cycle.State.PLANNING,
    )
    _refused(world, world.member, original, earlier, ValidationError)


@pytest.mark.parametrize("state", [Cycle.State.GRADING, Cycle.State.CLOSED])
def test_carry_over_into_a_later_cycle_that_no_longer_accepts_objectives_is_refused(
    world: World, cycle: Cycle, state: str
) -> None:
    original = _objective(world, cycle)
    _refused(world, world.member, original, _later(world, cycle, state=state), ValidationError)


def test_a_finished_objective_is_not_carried_over(world: World, cycle: Cycle) -> None:
    original = _objective(world, cycle, progress=D(1))
    _refused(world, world.member, original, _later(world, cycle), ValidationError)


def test_carry_over_into_another_organisations_cycle_is_refused(world: World, cycle: Cycle) -> None:
    original = _objective(world, cycle)
    foreign = CycleFactory(
        organisation=world.other_org,
        starts_on=cycle.ends_on + timedelta(days=1),
        state=Cycle.State.PLANNING,
    )
    _refused(world, world.member, original, foreign, PermissionDenied)


def test_an_outsider_cannot_carry_over_another_organisations_objective(
    world: World, cycle: Cycle
) -> None:
    original = _objective(world, cycle)
    _refused(world, world.outsider, original, _later(world, cycle), PermissionDenied)


def test_a_peer_cannot_carry_over_someone_elses_objective(world: World, cycle: Cycle) -> None:
    original = _objective(world, cycle)
    _refused(world, world.peer, original, _later(world, cycle), PermissionDenied)


def test_an_executive_outside_the_reporting_line_sees_but_cannot_carry_over(
    world: World, cycle: Cycle
) -> None:
    cfo = MembershipFactory(organisation=world.org, role=Role.EXECUTIVE)
    original = _objective(world, cycle)
    _refused(world, cfo, original, _later(world, cycle), PermissionDenied)


def test_the_objective_page_offers_exactly_the_cycles_the_service_accepts(
    world: World, cycle: Cycle
) -> None:

    original = _objective(world, cycle)
    earlier = CycleFactory(
        organisation=world.org,
        starts_on=cycle.starts_on - timedelta(weeks=13),
        ends_on=cycle.starts_on - timedelta(days=1),
        state=Cycle.State.PLANNING,
    )
    candidates = [earlier, cycle] + [
        _later(world, cycle, state=state, starts_on=cycle.ends_on + timedelta(days=1 + i))
        for i, state in enumerate(Cycle.State.values)
    ]
    offered = {
        c.pk for c in objective_selectors.objective_page(world.member, original).later_cycles
    }
    accepted = set()
    for candidate in candidates:
        try:
            objectives_services.carry_over_objective(
                actor=world.member, objective=original, to_cycle=candidate
            )
        except ValidationError:
            continue
        accepted.add(candidate.pk)
    assert accepted and offered == accepted


def test_an_admin_of_another_organisation_cannot_carry_an_objective_into_their_own_cycle(
    world: World, cycle: Cycle
) -> None:
    original = _objective(world, cycle)
    theirs = CycleFactory(
        organisation=world.other_org,
        starts_on=cycle.ends_on + timedelta(days=1),
        state=Cycle.State.PLANNING,
    )
    _refused(world, world.outsider, original, theirs, PermissionDenied)
    assert not Objective.objects.for_org(world.other_org).exists()
