"""The demo history that gives the training-impact estimate something to find."""

from __future__ import annotations

import pytest

from okrcoach.demo.insights import seed_history
from okrcoach.okrs.models import Cycle

pytestmark = pytest.mark.django_db


def test_demo_history_adds_three_past_cycles_with_check_ins(world):
    result = seed_history(world.org, compute=False)
    assert result["cycles"] == 3
    assert result["check_ins"] > 0
    assert Cycle.objects.for_org(world.org).filter(state=Cycle.State.CLOSED).count() == 3
