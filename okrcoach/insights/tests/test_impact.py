"""The training-impact data: outcomes per manager and cycle from the database, the nightly task,
(the demo history that gives the estimate something to find is tested in demo/tests)."""

from __future__ import annotations

import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from okrcoach.insights import impact
from okrcoach.insights.models import InsightsState
from okrcoach.insights.tasks import compute_training_impact_nightly
from okrcoach.okrs.models import Cycle, Objective
from okrcoach.okrs.tests.factories import (
    CheckInFactory,
    CycleFactory,
    KeyResultFactory,
    ObjectiveFactory,
)

pytestmark = pytest.mark.django_db


def test_outcomes_of_one_team_in_one_cycle(world):
    today = timezone.localdate()
    past = CycleFactory(
        organisation=world.org,
        starts_on=today - timedelta(days=100),
        ends_on=today - timedelta(days=30),  # 70 days: 10 weekly check-ins expected
        state=Cycle.State.CLOSED,
    )
    parent = ObjectiveFactory(cycle=past, owner=world.executive, level=Objective.Level.COMPANY)
    o = ObjectiveFactory(cycle=past, owner=world.member, type=Objective.Type.COMMITTED)
    ObjectiveFactory(cycle=past, owner=world.peer, parent=parent)
    met = KeyResultFactory(objective=o, score=Decimal("1"), coach_verdict={"verdict": "good"})
    missed = KeyResultFactory(objective=o, score=Decimal("0.5"), coach_verdict={"verdict": "bad"})
    for _ in range(5):
        CheckInFactory(key_result=met, confidence=9)
    for _ in range(5):
        CheckInFactory(key_result=missed, confidence=9)
    cycles, obs, certified = impact.panel(world.org)
    assert [c.pk for c in cycles] == [past.pk] and certified == 0
    by = {k: {(x.unit, x.period): x.value for x in v} for k, v in obs.items()}
    unit = (world.manager.pk, 0)  # member and peer report to the manager
    assert by["check_in_rate"][unit] == pytest.approx(10 / 20)
    assert by["coach_good"][unit] == pytest.approx(0.5)
    assert by["committed_met"][unit] == pytest.approx(0.5)
    assert by["alignment"][unit] == pytest.approx(0.5)
    # Five forecasts of 0.9 that came true, five that did not: (5×0.01 + 5×0.81) / 10.
    assert by["brier"][unit] == pytest.approx(0.41)


def test_too_little_history_says_what_is_missing(world):
    result = impact.compute(world.org, clock=time.perf_counter)
    assert all(o["estimate"] is None and o["missing"] for o in result["outcomes"])


def test_nightly_task_stores_a_computation_for_every_organisation(world):
    assert compute_training_impact_nightly.call() == 2
    state = InsightsState.objects.for_org(world.org).get()
    assert state.impact_computed_at is not None
    assert next(o["key"] for o in state.impact["outcomes"]) == "check_in_rate"
