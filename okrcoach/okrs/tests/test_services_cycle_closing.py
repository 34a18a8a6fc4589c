"""Moving a cycle through its states and closing it (`services.advance_cycle`, the cycles page):
closing fills every missing grade so a closed cycle's scores are complete, then freezes them."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any, cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import World
from okrcoach.core.models import AuditEvent
from okrcoach.okrs.models import CheckIn, Cycle, KeyResult, Objective
from okrcoach.okrs.services import check_ins as check_ins_services
from okrcoach.okrs.services import cycles as cycles_services
from okrcoach.okrs.services import grading as grading_services
from okrcoach.okrs.services import key_results as key_results_services
from okrcoach.okrs.services import objectives as objectives_services
from okrcoach.okrs.services.check_ins import CheckInData
from okrcoach.okrs.services.key_results import KeyResultData
from okrcoach.okrs.services.objectives import ObjectiveData

from .factories import CheckInFactory, CycleFactory, KeyResultFactory, ObjectiveFactory


@pytest.fixture
def grading(world: World) -> Cycle:
    return cast(Cycle, CycleFactory(organisation=world.org, state=Cycle.State.GRADING))


def _kr(world: World, cycle: Cycle, objective: Objective | None = None, **kwargs: Any) -> KeyResult:
    if objective is None:
        objective = ObjectiveFactory.create(cycle=cycle, owner=world.member, team=world.team)
    return cast(KeyResult, KeyResultFactory(objective=objective, **kwargs))


def _close(world: World, cycle: Cycle) -> Cycle:
    return cycles_services.advance_cycle(
        actor=world.admin, cycle=cycle, to_state=Cycle.State.CLOSED
    )


def _scores(world: World) -> list[tuple[int, D | None, str]]:
    return list(
        KeyResult.objects.for_org(world.org)
        .order_by("pk")
        .values_list("pk", "score", "score_reason")
    )


# --- the steps -----------------------------------------------------------------------------


def test_a_cycle_moves_planning_active_grading_closed_one_step_at_a_time(world: World) -> None:
    cycle = CycleFactory(organisation=world.org, state=Cycle.State.PLANNING)
    for state in (Cycle.State.ACTIVE, Cycle.State.GRADING, Cycle.State.CLOSED):
        cycles_services.advance_cycle(actor=world.admin, cycle=cycle, to_state=state)
        cycle.refresh_from_db()
        assert cycle.state == state


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Cycle.State.PLANNING, Cycle.State.GRADING),
        (Cycle.State.PLANNING, Cycle.State.CLOSED),
        (Cycle.State.ACTIVE, Cycle.State.CLOSED),
        (Cycle.State.ACTIVE, Cycle.State.PLANNING),
        (Cycle.State.GRADING, Cycle.State.ACTIVE),
        (Cycle.State.GRADING, Cycle.State.GRADING),
        (Cycle.State.CLOSED, Cycle.State.GRADING),
        (Cycle.State.CLOSED, Cycle.State.ACTIVE),
        (Cycle.State.CLOSED, Cycle.State.CLOSED),
        (Cycle.State.ACTIVE, "archived"),
    ],
)
def test_an_illegal_transition_is_refused_and_nothing_is_written(
    world: World, start: str, to: str
) -> None:
    cycle = CycleFactory(organisation=world.org, state=start)
    kr = _kr(world, cycle, progress=D("0.4"))
    events = AuditEvent.objects.for_org(world.org).count()
    with pytest.raises(ValidationError) as info:
        cycles_services.advance_cycle(actor=world.admin, cycle=cycle, to_state=to)
    assert "state" in info.value.message_dict
    cycle.refresh_from_db()
    kr.refresh_from_db()
    assert cycle.state == start
    assert kr.score is None
    assert AuditEvent.objects.for_org(world.org).count() == events


@pytest.mark.parametrize("who", ["manager", "member", "executive"])
def test_only_an_admin_may_advance_or_close_a_cycle(world: World, grading: Cycle, who: str) -> None:
    _kr(world, grading, progress=D("0.4"))
    with pytest.raises(PermissionDenied):
        cycles_services.advance_cycle(
            actor=getattr(world, who), cycle=grading, to_state=Cycle.State.CLOSED
        )
    grading.refresh_from_db()
    assert grading.state == Cycle.State.GRADING
    assert _scores(world)[0][1] is None


def test_an_admin_of_another_organisation_cannot_close_the_cycle(
    world: World, grading: Cycle
) -> None:
    with pytest.raises(PermissionDenied):
        cycles_services.advance_cycle(
            actor=world.outsider, cycle=grading, to_state=Cycle.State.CLOSED
        )
    grading.refresh_from_db()
    assert grading.state == Cycle.State.GRADING


def test_each_step_writes_an_audit_row_with_the_state_it_left(world: World) -> None:
    cycle = CycleFactory(organisation=world.org, state=Cycle.State.ACTIVE)
    cycles_services.advance_cycle(actor=world.admin, cycle=cycle, to_state=Cycle.State.GRADING)
    _close(world, cycle)
    events = AuditEvent.objects.for_org(world.org).filter(target_id=str(cycle.public_id))
    assert sorted((e.action, e.data["from"]) for e in events) == [
        ("okrs.cycle.closed", "grading"),
        ("okrs.cycle.grading", "active"),
    ]
    assert {e.actor_user_id for e in events} == {world.admin.user_id}


# --- closing fills the grades ------------------------------------------------------------------


def test_closing_grades_every_ungraded_key_result_with_its_final_progress(
    world: World, grading: Cycle
) -> None:
    kr = _kr(world, grading, progress=D("0.4567"))
    _close(world, grading)
    kr.refresh_from_db()
    assert kr.score == D("0.46")
    assert kr.score_reason == ""


def test_closing_grades_overachievement_as_one(world: World, grading: Cycle) -> None:
    kr = _kr(world, grading, progress=D(1), progress_raw=D("1.4"))
    _close(world, grading)
    kr.refresh_from_db()
    assert kr.score == D(1)


def test_closing_keeps_a_grade_given_during_grading_and_its_reason(
    world: World, grading: Cycle
) -> None:
    objective = ObjectiveFactory(cycle=grading, owner=world.member, team=world.team)
    graded = _kr(world, grading, objective, progress=D("0.3"))
    grading_services.grade_key_result(
        actor=world.member, key_result=graded, score=D("0.8"), reason="Blocked by a supplier"
    )
    ungraded = _kr(world, grading, objective, progress=D("0.5"))
    _close(world, grading)
    graded.refresh_from_db()
    ungraded.refresh_from_db()
    assert (graded.score, graded.score_reason) == (D("0.8"), "Blocked by a supplier")
    assert ungraded.score == D("0.5")


def test_closing_scores_each_objective_as_the_weighted_average_of_its_grades(
    world: World, grading: Cycle
) -> None:
    objective = ObjectiveFactory(cycle=grading, owner=world.member, team=world.team)
    _kr(world, grading, objective, progress=D("0.2"), weight=D(1), score=D("0.8"))
    _kr(world, grading, objective, progress=D("0.5"), weight=D(3))
    _close(world, grading)
    objective.refresh_from_db()
    assert objective.score == D("0.58")  # (0.8 * 1 + 0.5 * 3) / 4 = 0.575


def test_closing_leaves_an_objective_without_key_results_unscored(
    world: World, grading: Cycle
) -> None:
    objective = ObjectiveFactory(cycle=grading, owner=world.member)
    _close(world, grading)
    objective.refresh_from_db()
    assert objective.score is None


def test_closing_one_cycle_does_not_grade_another(world: World, grading: Cycle) -> None:
    other = CycleFactory(organisation=world.org, state=Cycle.State.GRADING)
    elsewhere = _kr(world, other, progress=D("0.6"))
    foreign = KeyResultFactory(
        objective__cycle__organisation=world.other_org,
        objective__cycle__state=Cycle.State.GRADING,
        progress=D("0.6"),
    )
    _close(world, grading)
    elsewhere.refresh_from_db()
    foreign.refresh_from_db()
    assert elsewhere.score is None
    assert foreign.score is None


# --- a closed cycle is frozen ------------------------------------------------------------------


@pytest.fixture
def closed_kr(world: World, grading: Cycle) -> KeyResult:
    kr = _kr(world, grading, progress=D("0.4"), current_value=D(40))
    _close(world, grading)
    return cast(
        KeyResult,
        KeyResult.objects.for_org(world.org)
        .select_related("objective__cycle", "objective__team", "owner")
        .get(pk=kr.pk),
    )


def test_a_closed_cycle_refuses_check_ins(world: World, closed_kr: KeyResult) -> None:
    with pytest.raises(ValidationError) as info:
        check_ins_services.record_check_in(
            actor=world.member, key_result=closed_kr, data=CheckInData(value=D(90), confidence=8)
        )
    assert "value" in info.value.message_dict
    assert not CheckIn.objects.for_org(world.org).exists()
    closed_kr.refresh_from_db()
    assert (closed_kr.current_value, closed_kr.progress, closed_kr.score) == (
        D(40),
        D("0.4"),
        D("0.4"),
    )


def test_a_closed_cycle_refuses_bulk_check_ins(world: World, closed_kr: KeyResult) -> None:
    with pytest.raises(ValidationError):
        check_ins_services.record_check_ins(
            actor=world.member, items=[(closed_kr, CheckInData(value=D(90), confidence=8))]
        )
    assert not CheckIn.objects.for_org(world.org).exists()


def test_a_closed_cycle_refuses_correcting_the_latest_check_in(
    world: World, grading: Cycle
) -> None:
    kr = _kr(world, grading, progress=D("0.4"))
    CheckInFactory(key_result=kr, author=world.member, value=D(40))
    _close(world, grading)
    check_in = (
        CheckIn.objects.for_org(world.org).select_related("key_result__objective__cycle").get()
    )
    with pytest.raises(ValidationError):
        check_ins_services.correct_latest_check_in(
            actor=world.member, check_in=check_in, data=CheckInData(value=D(90), confidence=8)
        )
    assert CheckIn.objects.for_org(world.org).get().value == D(40)


def test_a_closed_cycle_refuses_new_grades(world: World, closed_kr: KeyResult) -> None:
    with pytest.raises(ValidationError) as info:
        grading_services.grade_key_result(
            actor=world.admin, key_result=closed_kr, score=D("0.9"), reason="Late data"
        )
    assert "score" in info.value.message_dict
    closed_kr.refresh_from_db()
    assert (closed_kr.score, closed_kr.score_reason) == (D("0.4"), "")


def test_a_closed_cycle_refuses_objective_edits(world: World, closed_kr: KeyResult) -> None:
    objective = closed_kr.objective
    with pytest.raises(ValidationError) as info:
        objectives_services.update_objective(
            actor=world.admin,
            objective=objective,
            version=objective.version,
            data=ObjectiveData(
                title="Rewritten after the fact", level=objective.level, team=objective.team
            ),
        )
    assert "cycle" in info.value.message_dict
    objective.refresh_from_db()
    assert objective.title != "Rewritten after the fact"


def test_a_closed_cycle_refuses_new_objectives_and_key_results(
    world: World, closed_kr: KeyResult
) -> None:
    cycle = closed_kr.objective.cycle
    with pytest.raises(ValidationError):
        objectives_services.create_objective(
            actor=world.member,
            cycle=cycle,
            data=ObjectiveData(title="Late addition", level=Objective.Level.PERSONAL),
        )
    with pytest.raises(ValidationError):
        key_results_services.create_key_result(
            actor=world.member,
            objective=closed_kr.objective,
            data=KeyResultData(title="Late addition", baseline=D(0), target=D(10)),
        )
    assert Objective.objects.for_org(world.org).count() == 1
    assert KeyResult.objects.for_org(world.org).count() == 1


def test_editing_a_key_result_of_a_closed_cycle_changes_neither_its_grade_nor_the_objective_score(
    world: World, closed_kr: KeyResult
) -> None:
    # Issue 10, problem 13: the edit itself is refused, so nothing of the closed cycle moves.
    objective_score = Objective.objects.for_org(world.org).get().score
    with pytest.raises(ValidationError):
        key_results_services.update_key_result(
            actor=world.admin,
            key_result=closed_kr,
            version=closed_kr.version,
            data=KeyResultData(title=closed_kr.title, baseline=D(0), target=D(50)),
        )
    closed_kr.refresh_from_db()
    assert closed_kr.target != D(50)
    assert closed_kr.score == D("0.4")
    assert objective_score == D("0.4")
    assert Objective.objects.for_org(world.org).get().score == objective_score


def test_an_admin_of_another_organisation_cannot_grade_a_key_result(
    world: World, grading: Cycle
) -> None:
    kr = _kr(world, grading, progress=D("0.4"))
    with pytest.raises(PermissionDenied):
        grading_services.grade_key_result(
            actor=world.outsider, key_result=kr, score=D("0.9"), reason="Looks fine to me"
        )
    kr.refresh_from_db()
    assert kr.score is None
