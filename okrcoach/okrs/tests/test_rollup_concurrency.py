"""Two check-ins at once on two key results of one objective leave the objective (and its
parent) with the progress a full recompute gives (PostgreSQL: real row locks and concurrent
transactions; SQLite runs one writer at a time).

record_check_in commits the check-in and then rolls up in a transaction of its own that locks
the objectives before reading them (rollup.refresh_for_check_in, _CHAIN_LOCKED_BEFORE_THE_READ).
Here both threads are held at a barrier just before their roll-ups, so both run at once: had the
roll-up read before locking (as it did until session 23, inside the check-in's transaction),
each would compute the objective from the other's old progress and the second write would drop
the first key result's check-in."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal as D
from typing import Any

import pytest
from django.db import connection, connections

from conftest import World
from okrcoach.okrs import rollup
from okrcoach.okrs.models import KeyResult, Objective
from okrcoach.okrs.services.check_ins import CheckInData, record_check_in

from .factories import CycleFactory, KeyResultFactory, ObjectiveFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only"),
]


def _progress(world: World) -> dict[int, D]:
    return dict(Objective.objects.for_org(world.org).values_list("pk", "progress"))


def test_two_check_ins_under_one_objective_at_once_equal_a_full_recompute(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.org.rollup_includes_children = True
    world.org.save()
    cycle = CycleFactory(organisation=world.org)
    parent = ObjectiveFactory(cycle=cycle, owner=world.member)
    objective = ObjectiveFactory(cycle=cycle, owner=world.member, parent=parent)
    ObjectiveFactory(cycle=cycle, owner=world.member, parent=parent)  # a sibling, unchanged
    krs = [
        KeyResultFactory(objective=objective, baseline=D(0), target=D(100), current_value=D(0))
        for _ in range(2)
    ]
    rollup.recompute_organisation(world.org)

    barrier = threading.Barrier(2, timeout=20)
    original: Callable[..., Any] = rollup.refresh_for_check_in

    def both_at_once(*args: Any, **kwargs: Any) -> Any:
        barrier.wait()  # both check-ins written, neither rolled up yet
        return original(*args, **kwargs)

    monkeypatch.setattr(rollup, "refresh_for_check_in", both_at_once)
    errors: list[BaseException] = []

    def check_in(kr_pk: int, value: int) -> None:
        try:
            kr = (
                KeyResult.objects.for_org(world.org)
                .select_related("objective__cycle", "objective__team", "owner")
                .get(pk=kr_pk)
            )
            record_check_in(
                actor=world.member, key_result=kr, data=CheckInData(value=D(value), confidence=6)
            )
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
            barrier.abort()
        finally:
            connections.close_all()

    for round_values in ((40, 80), (90, 10)):
        threads = [
            threading.Thread(target=check_in, args=(kr.pk, value))
            for kr, value in zip(krs, round_values, strict=True)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors, errors
        barrier.reset()
        incremental = _progress(world)
        # Each key result's progress is its value (baseline 0, target 100); the objective is
        # their mean, the parent the mean of the objective and its untouched sibling (0).
        mean = sum((D(v) / 100 for v in round_values), D(0)) / 2
        assert incremental[objective.pk] == mean
        assert rollup.recompute_organisation(world.org) == (0, 0)
        assert _progress(world) == incremental
