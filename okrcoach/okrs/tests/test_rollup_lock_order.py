"""Check-ins and edits of the objectives above them at once: no deadlock, and the progress a
full recompute gives (PostgreSQL: real row locks, one connection per thread).

A check-in's roll-up locks its objective and every ancestor in primary-key order before it
reads (rollup._LOCKED_BEFORE_THE_READ). Until session 25 an edit or a deletion of an objective
wrote its own row first and locked its parents' chain afterwards: a check-in's roll-up holding
the parent and waiting for the objective met an edit holding the objective and waiting for the
parent, and PostgreSQL aborted one of them (a deadlock). A roll-up whose chain was re-parented
while it waited for the locks also wrote the old chain, not the new one. Now every writer
locks the whole chain first, in the one order (rollup.lock_objectives), and a roll-up that
finds its chain moved under its locks runs again (rollup.ChainMoved)."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from decimal import Decimal as D
from typing import Any, cast

import pytest
from django.db import connection, connections

from conftest import World
from okrcoach.okrs import rollup
from okrcoach.okrs.models import KeyResult, Objective
from okrcoach.okrs.services.bulk_check_ins import record_check_ins
from okrcoach.okrs.services.check_ins import CheckInData, record_check_in
from okrcoach.okrs.services.key_results import KeyResultData, update_key_result
from okrcoach.okrs.services.objectives import ObjectiveData, delete_objective, update_objective

from .factories import CycleFactory, KeyResultFactory, ObjectiveFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only"),
]


def _objective(world: World, pk: int) -> Objective:
    return cast(
        Objective,
        Objective.objects.for_org(world.org)
        .select_related("cycle", "owner", "team", "parent")
        .get(pk=pk),
    )


_SAME = 0  # no objective has primary key 0


def _edit(world: World, pk: int, *, parent: int | None = _SAME, weight: str = "1") -> None:
    """Save the objective through the editor's service, moved under `parent` if given."""
    objective = _objective(world, pk)
    if parent == _SAME:
        new_parent = objective.parent
    else:
        new_parent = None if parent is None else _objective(world, parent)
    update_objective(
        actor=world.admin,
        objective=objective,
        version=objective.version,
        data=ObjectiveData(
            title=objective.title,
            level=objective.level,
            team=objective.team,
            owner=objective.owner,
            type=objective.type,
            visibility=objective.visibility,
            weight=D(weight),
            status=objective.status,
            parent=new_parent,
        ),
    )


def _in_threads(works: list[Callable[[], None]]) -> list[BaseException]:
    errors: list[BaseException] = []

    def run(work: Callable[[], None]) -> None:
        try:
            work()
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(w,)) for w in works]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return errors


def test_check_ins_while_the_chain_above_is_edited_moved_and_pruned_never_deadlock(
    world: World,
) -> None:
    """Four threads check in on an objective's key results while a fifth edits that objective,
    moves it between two parents, edits and moves its parent under the grandparent and away,
    and deletes its siblings one by one."""
    world.org.rollup_includes_children = True
    world.org.save()
    cycle = CycleFactory(organisation=world.org)
    top = ObjectiveFactory(cycle=cycle, owner=world.member)
    left = ObjectiveFactory(cycle=cycle, owner=world.member, parent=top)
    right = ObjectiveFactory(cycle=cycle, owner=world.member, parent=top)
    objective = ObjectiveFactory(cycle=cycle, owner=world.member, parent=left)
    siblings = [ObjectiveFactory(cycle=cycle, owner=world.member, parent=left).pk for _ in range(6)]
    for pk in siblings[:3]:  # siblings with progress of their own, so deleting one moves `left`
        KeyResultFactory(objective_id=pk, baseline=D(0), target=D(100), current_value=D(30))
    krs = [
        KeyResultFactory(objective=objective, baseline=D(0), target=D(100), current_value=D(0))
        for _ in range(4)
    ]
    rollup.recompute_organisation(world.org)

    def check_ins(kr: KeyResult, seed: int) -> Callable[[], None]:
        def work() -> None:
            values = random.Random(seed)
            for _ in range(12):
                record_check_in(
                    actor=world.member,
                    key_result=KeyResult.objects.for_org(world.org)
                    .select_related("objective__cycle", "objective__team", "owner")
                    .get(pk=kr.pk),
                    data=CheckInData(value=D(values.randint(0, 100)), confidence=6),
                )

        return work

    def edits() -> None:
        for round_ in range(6):
            _edit(world, objective.pk, weight=str(1 + round_ % 3))  # its own row, same parent
            _edit(world, objective.pk, parent=right.pk if round_ % 2 == 0 else left.pk)
            _edit(world, left.pk, weight=str(2 + round_ % 2))  # an ancestor
            _edit(world, left.pk, parent=None if round_ % 2 == 0 else top.pk)  # moved away
            delete_objective(actor=world.admin, objective=_objective(world, siblings[round_]))

    errors = _in_threads([check_ins(kr, n) for n, kr in enumerate(krs)] + [edits])
    assert not errors, errors
    assert not Objective.objects.for_org(world.org).filter(pk__in=siblings).exists()
    stored = dict(Objective.objects.for_org(world.org).values_list("pk", "progress"))
    assert rollup.recompute_organisation(world.org) == (0, 0)
    assert dict(Objective.objects.for_org(world.org).values_list("pk", "progress")) == stored


def test_a_check_in_whose_chain_moved_while_it_waited_rolls_up_the_new_chain(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The re-parenting edit holds the chain; a check-in's roll-up that read the old chain
    waits for it, then finds the objective under another parent, and runs again."""
    world.org.rollup_includes_children = True
    world.org.save()
    cycle = CycleFactory(organisation=world.org)
    old = ObjectiveFactory(cycle=cycle, owner=world.member)
    new = ObjectiveFactory(cycle=cycle, owner=world.member)
    objective = ObjectiveFactory(cycle=cycle, owner=world.member, parent=old)
    kr = KeyResultFactory(objective=objective, baseline=D(0), target=D(100), current_value=D(0))
    rollup.recompute_organisation(world.org)

    moved, go = threading.Event(), threading.Event()
    original = rollup.refresh_objectives

    def held_after_the_move(*args: object, **kwargs: object) -> dict[int, D]:
        result = original(*args, **kwargs)
        moved.set()  # moved and rolled up, not committed: the chain stays locked
        go.wait(30)
        return result

    def move() -> None:
        _edit(world, objective.pk, parent=new.pk)

    def check_in() -> None:
        assert moved.wait(30)
        record_check_in(
            actor=world.member,
            key_result=KeyResult.objects.for_org(world.org)
            .select_related("objective__cycle", "objective__team", "owner")
            .get(pk=kr.pk),
            data=CheckInData(value=D(80), confidence=6),
        )

    def release_when_the_check_in_waits() -> None:
        assert moved.wait(30)
        with connection.cursor() as cursor:
            for _ in range(1500):
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                if cursor.fetchone()[0]:
                    break
                threading.Event().wait(0.02)
        go.set()

    monkeypatch.setattr(rollup, "refresh_objectives", held_after_the_move)
    try:
        errors = _in_threads([move, check_in, release_when_the_check_in_waits])
    finally:
        go.set()
    assert not errors, errors
    progress = dict(Objective.objects.for_org(world.org).values_list("pk", "progress"))
    assert progress[objective.pk] == D("0.8")
    assert progress[new.pk] == D("0.8")  # the new parent has the check-in
    assert progress[old.pk] == D(0)
    assert rollup.recompute_organisation(world.org) == (0, 0)


class _Held:
    """`work` on a thread and a connection of its own, held once at the first statement whose
    SQL starts with `at` (before it runs, or just after it returned with `after=True`) until
    `release`; its error, if any, kept for the test, and how many such statements it ran."""

    def __init__(self, work: Callable[[], None], at: str, *, after: bool = False) -> None:
        self.reached, self._go = threading.Event(), threading.Event()
        self.error: BaseException | None = None
        self.runs = 0
        self._work, self._at, self._after = work, at, after
        self.thread = threading.Thread(target=self._run)
        self.thread.start()

    def _hold(self, execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        self.runs += sql.startswith(self._at)
        mine = not self.reached.is_set() and sql.startswith(self._at)
        if mine and not self._after:
            self.reached.set()
            self._go.wait(30)
        result = execute(sql, *args)
        if mine and self._after:
            self.reached.set()
            self._go.wait(30)
        return result

    def _run(self) -> None:
        try:
            with connection.execute_wrapper(self._hold):
                self._work()
        except BaseException as exc:  # reported by the main thread
            self.error = exc
        finally:
            connections.close_all()

    def release(self) -> None:
        self._go.set()


def _until_a_lock_waits() -> None:
    """Until a transaction of this database waits for a row lock (PostgreSQL's view)."""
    with connection.cursor() as cursor:
        for _ in range(1500):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            threading.Event().wait(0.02)
    raise AssertionError("no transaction waited for a lock")


_LOCK = 'SELECT id, parent_id, weight, progress, status FROM "okrs_objective"'


@pytest.mark.parametrize("writer", ["key result edit", "bulk check-in"])
def test_a_roll_up_of_refresh_objectives_whose_chain_moved_lets_its_locks_go_and_runs_again(
    world: World, writer: str
) -> None:
    """rollup.refresh_objectives (a key result's edit; a bulk check-in) waits for a move of its
    objective under another parent, then holds the old chain and finds the objective under the
    new one. Until session 26 it then locked the new chain on top of the old (out of primary-key
    order): a check-in's roll-up under the new parent, holding the new parent and waiting for
    the top objective the edit held, deadlocked with it and PostgreSQL aborted one of them. Now
    the edit's roll-up (a savepoint; the bulk check-in: its whole transaction) rolls back, which
    lets the old chain go, and runs again on the new chain: no error, and the progress a full
    recompute gives."""
    world.org.rollup_includes_children = True
    world.org.save()
    cycle = CycleFactory(organisation=world.org)
    # Primary keys in this order: the new parent, the top, the old parent, the objective, and
    # the new parent's other child. The check-in's roll-up below locks the new parent before
    # the top; the moved objective's roll-up holds the top before it finds the new parent.
    new = ObjectiveFactory(cycle=cycle, owner=world.member)
    top = ObjectiveFactory(cycle=cycle, owner=world.member)
    Objective.objects.for_org(world.org).filter(pk=new.pk).update(parent=top)
    old = ObjectiveFactory(cycle=cycle, owner=world.member, parent=top)
    objective = ObjectiveFactory(cycle=cycle, owner=world.member, parent=old)
    other = ObjectiveFactory(cycle=cycle, owner=world.member, parent=new)
    kr = KeyResultFactory(objective=objective, baseline=D(0), target=D(100), current_value=D(40))
    other_kr = KeyResultFactory(objective=other, baseline=D(0), target=D(100), current_value=D(0))
    rollup.recompute_organisation(world.org)

    def write() -> None:
        fresh = cast(
            KeyResult,
            KeyResult.objects.for_org(world.org)
            .select_related("objective__cycle", "objective__team", "owner")
            .get(pk=kr.pk),
        )
        if writer == "bulk check-in":
            record_check_ins(
                actor=world.member, items=[(fresh, CheckInData(value=D(80), confidence=6))]
            )
        else:  # 40 of 50: 0.8
            update_key_result(
                actor=world.member,
                key_result=fresh,
                version=fresh.version,
                data=KeyResultData(title=fresh.title, baseline=D(0), target=D(50)),
            )

    def check_in() -> None:
        record_check_in(
            actor=world.member,
            key_result=KeyResult.objects.for_org(world.org)
            .select_related("objective__cycle", "objective__team", "owner")
            .get(pk=other_kr.pk),
            data=CheckInData(value=D(60), confidence=6),
        )

    # The move holds both chains (rollup.lock_objectives) and waits before its write.
    mover = _Held(lambda: _edit(world, objective.pk, parent=new.pk), 'UPDATE "okrs_objective"')
    writer_ = checker = None
    try:
        assert mover.reached.wait(30), mover.error
        # The writer's roll-up read the old chain and waits for the mover's locks; once the
        # move commits, its lock returns the objective under the new parent: held there.
        writer_ = _Held(write, _LOCK, after=True)
        _until_a_lock_waits()
        mover.release()
        mover.thread.join(60)
        assert writer_.reached.wait(30), writer_.error
        # A check-in under the new parent: its roll-up locks the new parent, then waits for
        # the top, which the writer holds.
        checker = _Held(check_in, "no statement starts like this")
        _until_a_lock_waits()
    finally:
        for held in (mover, writer_, checker):
            if held is not None:
                held.release()
        for held in (mover, writer_, checker):
            if held is not None:
                held.thread.join(60)
    assert writer_ is not None and checker is not None
    assert [h.error for h in (mover, writer_, checker) if h.error] == []
    assert writer_.runs == 2  # its roll-up's lock: on the old chain, then on the new one
    progress = dict(Objective.objects.for_org(world.org).values_list("pk", "progress"))
    assert progress[objective.pk] == D("0.8")
    assert progress[other.pk] == D("0.6")
    assert progress[new.pk] == D("0.7")  # both children: the moved objective counts here
    assert progress[old.pk] == D(0)
    assert progress[top.pk] == D("0.35")
    assert rollup.recompute_organisation(world.org) == (0, 0)
