"""Saving an objective or key result stores the coach's latest verdict and rule ids; `recoach`
recomputes them all."""

from __future__ import annotations

from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from conftest import World
from okrcoach.okrs import coaching
from okrcoach.okrs.models import Cycle, KeyResult, Objective
from okrcoach.okrs.services.key_results import KeyResultData, create_key_result, update_key_result
from okrcoach.okrs.services.objectives import ObjectiveData, create_objective, update_objective

from .factories import KeyResultFactory, ObjectiveFactory

TASK = "Run six onboarding webinars for new customers"
OUTCOME = "Share of new customers who complete setup in week one rises from 20% to 45%"


def _objective(world: World, cycle: Cycle, title: str = "Launch the new rider app") -> Objective:
    return create_objective(
        actor=world.member,
        cycle=cycle,
        data=ObjectiveData(title=title, level=Objective.Level.PERSONAL),
    )


def test_creating_an_objective_stores_its_verdict_and_rules(world: World, cycle: Cycle) -> None:
    objective = _objective(world, cycle)
    objective.refresh_from_db()
    assert objective.coach_verdict["verdict"] == "weak"
    assert 0 <= objective.coach_verdict["score"] <= 100
    assert "OBJ-04-NOT-DELIVERABLE" in objective.coach_rules
    assert objective.coach_rules == sorted(objective.coach_rules)


def test_updating_an_objective_stores_the_new_verdict(world: World, cycle: Cycle) -> None:
    objective = _objective(world, cycle)
    update_objective(
        actor=world.member,
        objective=objective,
        version=objective.version,
        data=ObjectiveData(
            title="Make renting a bike take less than a minute for riders",
            description="Why now: 41% of riders give up at the dock",
            level=Objective.Level.PERSONAL,
        ),
    )
    objective.refresh_from_db()
    assert "OBJ-04-NOT-DELIVERABLE" not in objective.coach_rules
    assert "OBJ-08-WHY" not in objective.coach_rules


def test_creating_and_updating_a_key_result_store_verdicts(world: World, cycle: Cycle) -> None:
    objective = _objective(world, cycle, "Make new customers successful in month one")
    kr = create_key_result(
        actor=world.member,
        objective=objective,
        data=KeyResultData(title=TASK, target=D(6), baseline=D(0)),
    )
    kr.refresh_from_db()
    assert kr.coach_verdict["verdict"] == "bad"
    assert "KR-04-OUTCOME" in kr.coach_rules
    update_key_result(
        actor=world.member,
        key_result=kr,
        version=kr.version,
        data=KeyResultData(
            title=OUTCOME,
            unit_kind=KeyResult.UnitKind.PERCENT,
            baseline=D(20),
            target=D(45),
            data_source="Product analytics",
        ),
    )
    kr.refresh_from_db()
    assert kr.coach_verdict["verdict"] == "good"
    assert kr.coach_rules == []


def test_a_refused_save_stores_nothing(world: World, cycle: Cycle) -> None:
    objective = _objective(world, cycle, "Make new customers successful in month one")
    with pytest.raises(ValidationError):
        create_key_result(actor=world.member, objective=objective, data=KeyResultData(title=TASK))
    assert not KeyResult.objects.for_org(world.org).exists()


def test_the_draft_carries_the_structured_fields(world: World, cycle: Cycle) -> None:
    made = KeyResultFactory(
        objective=ObjectiveFactory(cycle=cycle, owner=world.member, team=world.team),
        title=OUTCOME,
        baseline=D(20),
        target=D("45.5"),
        unit_kind=KeyResult.UnitKind.PERCENT,
        data_source="CRM",
        confidence=6,
    )
    kr = (
        KeyResult.objects.for_org(world.org)
        .select_related("objective__cycle", "objective__team")
        .get(pk=made.pk)
    )
    draft = coaching.key_result_draft_of(kr)
    assert (draft.baseline, draft.target, draft.unit) == (20.0, 45.5, "%")
    assert draft.parent_objective == kr.objective.title
    assert draft.data_source == "CRM" and draft.confidence == 6.0
    assert draft.team == "Support" and draft.cycle_start == cycle.starts_on
    assert draft.owners == (str(world.member.pk),)


def test_recoach_recomputes_every_stored_verdict(world: World, cycle: Cycle) -> None:
    objective = ObjectiveFactory(cycle=cycle, owner=world.member, title="Launch the new rider app")
    kr = KeyResultFactory(objective=objective, title=TASK)
    stale = KeyResultFactory(objective=objective, title=OUTCOME, data_source="CRM")
    KeyResult.objects.for_org(world.org).filter(pk=stale.pk).update(
        coach_verdict={"verdict": "bad", "score": 1}, coach_rules=["KR-99-OLD"]
    )
    other_org = ObjectiveFactory(cycle__organisation=world.other_org, title="Maintain payroll")
    out = StringIO()
    call_command("recoach", "--org", world.org.slug, stdout=out)
    assert "acme: 2 key results and 1 objectives re-coached." in out.getvalue()
    kr.refresh_from_db()
    stale.refresh_from_db()
    objective.refresh_from_db()
    other_org.refresh_from_db()
    assert kr.coach_verdict["verdict"] == "bad" and "KR-04-OUTCOME" in kr.coach_rules
    assert stale.coach_verdict["verdict"] == "good" and stale.coach_rules == []
    assert "OBJ-04-NOT-DELIVERABLE" in objective.coach_rules
    assert other_org.coach_verdict == {}  # only the organisation asked for
    again = StringIO()
    call_command("recoach", "--org", world.org.slug, stdout=again)
    assert "acme: 0 key results and 0 objectives re-coached." in again.getvalue()
