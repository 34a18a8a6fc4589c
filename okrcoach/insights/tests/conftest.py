from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from okrcoach.okrs.models import Cycle, KeyResult, Objective
from okrcoach.okrs.tests.factories import (
    CheckInFactory,
    CycleFactory,
    KeyResultFactory,
    ObjectiveFactory,
)


def grow(world: Any, cycle: Cycle, past: Cycle, n: int) -> None:
    """n more objectives with a key result each for every person (and one check-in per key
    result), in the active and in the past cycle: pages must cost the same queries afterwards."""
    people = [world.member, world.peer, world.manager, world.executive]
    now = timezone.now()
    for i in range(n):
        for person in people:
            for c in (cycle, past):
                o = ObjectiveFactory(cycle=c, owner=person, team=person.team)
                kr = KeyResultFactory(
                    objective=o,
                    progress=Decimal("0.2") * (i % 5),
                    confidence=3 + i % 7,
                    last_check_in_at=now - timedelta(days=3 + 7 * (i % 3)),
                    score=Decimal("0.8") if c == past and i % 2 else None,
                    coach_verdict={"verdict": ["good", "weak", "bad"][i % 3]},
                )
                CheckInFactory(key_result=kr, confidence=3 + i % 7, created_at=now)


@pytest.fixture
def okr_world(world: Any) -> dict[str, Any]:
    today = timezone.localdate()
    cycle = CycleFactory(
        organisation=world.org,
        name="Now",
        starts_on=today - timedelta(weeks=8),
        ends_on=today + timedelta(weeks=5),
    )
    past = CycleFactory(
        organisation=world.org,
        name="Before",
        starts_on=today - timedelta(weeks=21),
        ends_on=today - timedelta(weeks=8, days=1),
        state=Cycle.State.CLOSED,
    )
    company = ObjectiveFactory(
        cycle=cycle, owner=world.executive, level=Objective.Level.COMPANY, title="Win the north"
    )
    mine = ObjectiveFactory(cycle=cycle, owner=world.member, parent=company, team=world.team)
    behind = KeyResultFactory(
        objective=mine,
        title="Behind and quiet",
        progress=Decimal("0.2"),
        confidence=8,
        last_check_in_at=timezone.now() - timedelta(days=20),
    )
    on_pace = KeyResultFactory(
        objective=mine,
        title="On pace",
        progress=Decimal("0.62"),
        confidence=8,
        last_check_in_at=timezone.now() - timedelta(days=2),
    )
    CheckInFactory(key_result=behind, problems_note="Waiting on the vendor", confidence=8)
    private = ObjectiveFactory(
        cycle=cycle,
        owner=world.peer,
        visibility=Objective.Visibility.PRIVATE,
        title="Private plan",
    )
    secret = KeyResultFactory(objective=private, title="Secret key result", progress=Decimal("0"))
    old = ObjectiveFactory(cycle=past, owner=world.member)
    graded = KeyResultFactory(objective=old, score=Decimal("0.4"), progress=Decimal("0.4"))
    for _ in range(4):
        CheckInFactory(key_result=graded, confidence=8)
    return {
        "cycle": cycle,
        "past": past,
        "company": company,
        "behind": behind,
        "on_pace": on_pace,
        "secret": secret,
        "graded": graded,
        "all_krs": KeyResult.objects.for_org(world.org),
    }
