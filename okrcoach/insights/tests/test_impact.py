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


def _certify(member, issued_at, *, revoked: bool = False):
    from okrcoach.academy.models import Certificate, Course

    course, _ = Course.objects.get_or_create(
        slug="manager-okr-course", organisation=None, defaults={"title": "OKRs for managers"}
    )
    return Certificate.objects.create(
        organisation=member.organisation,
        membership=member,
        course=course,
        recipient_name=member.user.full_name,
        course_title=course.title,
        issued_at=issued_at,
        expires_at=issued_at + timedelta(days=30),  # expired long ago: still certified
        revoked_at=issued_at + timedelta(days=1) if revoked else None,
    )


def test_each_manager_is_treated_from_the_first_cycle_after_their_certificate(world):
    """Three past cycles. The manager is certified in the middle of the second (so the second
    still counts as before), the executive on the day the third starts (treated from the third);
    a revoked certificate earlier does not count; only certificates decide."""
    from datetime import datetime, time

    from okrcoach.orgs.tests.factories import MembershipFactory

    today = timezone.localdate()
    starts = [today - timedelta(days=400 - 120 * i) for i in range(3)]
    cycles = []
    for start in starts:
        made = CycleFactory(
            organisation=world.org,
            starts_on=start,
            ends_on=start + timedelta(days=90),
            state=Cycle.State.CLOSED,
        )
        cycles.append(made)
        for owner in (world.member, world.manager):
            o = ObjectiveFactory(cycle=made, owner=owner)
            KeyResultFactory(objective=o, score=Decimal("0.7"), coach_verdict={"verdict": "good"})
    lead = MembershipFactory(organisation=world.org, manager=world.executive)
    report = MembershipFactory(organisation=world.org, manager=lead)
    for cycle in cycles:
        KeyResultFactory(
            objective=ObjectiveFactory(cycle=cycle, owner=report), score=Decimal("0.5")
        )

    def at(day):
        return timezone.make_aware(datetime.combine(day, time(12)))

    _certify(world.manager, at(starts[1] + timedelta(days=40)))
    _certify(world.executive, at(starts[0]), revoked=True)
    _certify(world.executive, at(starts[2]))
    _cycles, obs, certified = impact.panel(world.org)
    first = {x.unit: x.first_treated for x in obs["check_in_rate"]}
    assert first[world.manager.pk] == 2  # certified during cycle 2 (index 1): treated from 3
    assert first[world.executive.pk] == 2  # the revoked certificate of cycle 1 is ignored
    assert first[lead.pk] is None  # no certificate: never treated
    assert certified == 2


def test_the_page_states_how_certification_dates_are_used(world):
    from django.test import Client

    c = Client()
    c.force_login(world.admin.user)
    body = c.get("/o/acme/insights/impact/").content.decode()
    assert "read from the academy&#x27;s certificates only" in body
    assert "the cycle during which the certificate was issued" in body
