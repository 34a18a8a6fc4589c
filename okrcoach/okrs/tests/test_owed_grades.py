"""Home's "what you owe": grades pending count the actor's own ungraded key results of the
grading cycle. (The subquery once compared the objective's cycle with the key result's id, so
it counted the wrong rows and scanned every key result of the organisation.)"""

from __future__ import annotations

from decimal import Decimal

import pytest

from okrcoach.okrs.models import Cycle
from okrcoach.okrs.selectors.accountability import owed_this_week
from okrcoach.okrs.tests.factories import CycleFactory, KeyResultFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


def test_grades_pending_are_my_ungraded_key_results_of_the_grading_cycle(world):
    grading = CycleFactory(organisation=world.org, state=Cycle.State.GRADING)
    other = CycleFactory(organisation=world.org, state=Cycle.State.CLOSED)
    mine = ObjectiveFactory(cycle=grading, owner=world.member)
    KeyResultFactory(objective=mine)
    KeyResultFactory(objective=mine)
    KeyResultFactory(objective=mine, score=Decimal("0.5"))
    KeyResultFactory(objective=ObjectiveFactory(cycle=grading, owner=world.peer))
    KeyResultFactory(objective=ObjectiveFactory(cycle=other, owner=world.member))
    owed = owed_this_week(world.member)
    assert owed.grading_cycle == grading
    assert owed.grades_pending == 2
    assert owed.retros_pending == 1
