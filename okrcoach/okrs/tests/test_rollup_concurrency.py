"""Roll-ups at once on one objective leave it (and its parent) with the progress a full
recompute gives (PostgreSQL: real row locks and concurrent transactions, one connection per
thread; SQLite runs one writer at a time).

Every roll-up locks the objectives it writes before it reads what it computes them from
(rollup._LOCKED_BEFORE_THE_READ). Had one read first, it could compute the objective from a
sibling key result's old progress while that sibling's roll-up ran, then overwrite the
sibling's newer result: the tests below hold one roll-up where that would happen and check that
the other's change survives. Until session 23 a check-in's roll-up read first; until session 24
`refresh_objectives` (an edit's roll-up) and the bulk check-in's own copy did."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from decimal import Decimal as D
from functools import partial
from typing import Any, cast

import pytest
from django.db import connection, connections

from conftest import World
from okrcoach.okrs import rollup
from okrcoach.okrs.models import CheckIn, KeyResult, Objective
from okrcoach.okrs.services.alignment import link_contribution
from okrcoach.okrs.services.bulk_check_ins import record_check_ins
from okrcoach.okrs.services.check_ins import CheckInData, record_check_in
from okrcoach.okrs.services.key_results import KeyResultData, update_key_result

from .factories import CycleFactory, KeyResultFactory, ObjectiveFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only"),
]


def _progress(world: World) -> dict[int, D]:
    return dict(Objective.objects.for_org(world.org).values_list("pk", "progress"))


def _fresh(world: World, kr_pk: int) -> KeyResult:
    """The key result as a view reads it, on this thread's connection."""
    return cast(
        KeyResult,
        KeyResult.objects.for_org(world.org)
        .select_related("objective__cycle", "objective__team", "owner")
        .get(pk=kr_pk),
    )


def _check_in(world: World, kr_pk: int, value: int) -> None:
    record_check_in(
        actor=world.member,
        key_result=_fresh(world, kr_pk),
        data=CheckInData(value=D(value), confidence=6),
    )


class _Thread:
    """`work` on a thread and a connection of its own; its error, if any, kept for the test."""

    def __init__(self, work: Callable[[], None], wrapper: Callable[..., Any] | None = None):
        self.error: BaseException | None = None
        self._work, self._wrapper = work, wrapper
        self.thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        try:
            if self._wrapper is None:
                self._work()
            else:
                with connection.execute_wrapper(self._wrapper):
                    self._work()
        except BaseException as exc:  # reported by the main thread
            self.error = exc
        finally:
            connections.close_all()


class _HeldBeforeItsWrite:
    """Runs `work` on a thread and holds it just before it writes objectives' progress (its
    first `UPDATE` of their progress): by then its roll-up has read everything it computes
    from. `release` lets it go on."""

    def __init__(
        self, work: Callable[[], None], write: str = 'UPDATE "okrs_objective" SET "progress"'
    ) -> None:
        self.reached, self._go = threading.Event(), threading.Event()
        self._write = write
        self.runner = _Thread(work, self._hold)
        self.runner.thread.start()

    def _hold(self, execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        if not self.reached.is_set() and sql.startswith(self._write):
            self.reached.set()
            self._go.wait(30)
        return execute(sql, *args)

    def release(self) -> None:
        self._go.set()


def _until_done_or_waiting_for_a_lock(runner: _Thread) -> str:
    """Wait until the other thread has finished ("done": nothing stopped it reading and writing
    while the held one had read and not yet written, the lost update's window), or waits for a
    row lock in PostgreSQL ("waiting": the held one's locks keep it out, as they should)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if not runner.thread.is_alive():
            return "done"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return "waiting"
        time.sleep(0.02)
    raise AssertionError("the other thread neither finished nor waited for a lock")


def _one_objective_under_a_parent(
    world: World, values: tuple[int, int] = (40, 0)
) -> tuple[Objective, Objective, list[KeyResult]]:
    """A parent with two children (children count in parents); the first child has two key
    results (baseline 0, target 100, at `values`), the second none (progress 0)."""
    world.org.rollup_includes_children = True
    world.org.save()
    cycle = CycleFactory(organisation=world.org)
    parent = ObjectiveFactory(cycle=cycle, owner=world.member)
    objective = ObjectiveFactory(cycle=cycle, owner=world.member, parent=parent)
    ObjectiveFactory(cycle=cycle, owner=world.member, parent=parent)  # a sibling, unchanged
    krs = [
        KeyResultFactory(objective=objective, baseline=D(0), target=D(100), current_value=D(v))
        for v in values
    ]
    rollup.recompute_organisation(world.org)
    return cast(Objective, parent), cast(Objective, objective), cast(list[KeyResult], krs)


def _race(
    held_work: Callable[[], None],
    other_work: Callable[[], None],
    write: str = 'UPDATE "okrs_objective" SET "progress"',
) -> str:
    """`held_work` reads for its roll-up and is held before its write (`write`: how its SQL
    starts); `other_work` then runs (a check-in); the held one goes on once the other is done
    or waits for its locks."""
    held = _HeldBeforeItsWrite(held_work, write)
    assert held.reached.wait(30), held.runner.error
    other = _Thread(other_work)
    other.thread.start()
    try:
        seen = _until_done_or_waiting_for_a_lock(other)
    finally:
        held.release()
        held.runner.thread.join(60)
        other.thread.join(60)
    assert held.runner.error is None, held.runner.error
    assert other.error is None, other.error
    return seen


def test_an_edit_rolling_up_while_a_check_in_rolls_up_keeps_both_changes(world: World) -> None:
    """rollup.refresh_objectives (here an edit of a key result's target) against a check-in on
    the other key result of the same objective."""
    parent, objective, (edited, checked) = _one_objective_under_a_parent(world)

    def edit_target() -> None:
        kr = _fresh(world, edited.pk)
        update_key_result(
            actor=world.member,
            key_result=kr,
            version=kr.version,
            data=KeyResultData(title=kr.title, baseline=D(0), target=D(50)),  # 40 of 50: 0.8
        )

    seen = _race(edit_target, lambda: _check_in(world, checked.pk, 60))
    progress = _progress(world)
    assert progress[objective.pk] == D("0.7")  # (0.8 + 0.6) / 2: the check-in was not lost
    assert progress[parent.pk] == D("0.35")  # with the unchanged sibling at 0
    assert seen == "waiting"  # the check-in's roll-up waited for the edit's locks
    assert rollup.recompute_organisation(world.org) == (0, 0)


def test_a_bulk_check_in_and_a_check_in_on_one_objective_at_once_keep_both(world: World) -> None:
    """The bulk check-in's roll-up (the same code, rollup.refresh_objectives) against a single
    check-in on the other key result of the same objective."""
    parent, objective, (bulked, checked) = _one_objective_under_a_parent(world)

    def bulk() -> None:
        items = [(_fresh(world, bulked.pk), CheckInData(value=D(90), confidence=6))]
        record_check_ins(actor=world.member, items=items)

    seen = _race(bulk, lambda: _check_in(world, checked.pk, 20))
    progress = _progress(world)
    assert progress[objective.pk] == D("0.55")  # (0.9 + 0.2) / 2
    assert progress[parent.pk] == D("0.275")
    assert seen == "waiting"  # the check-in's roll-up waited for the bulk check-in's locks
    assert rollup.recompute_organisation(world.org) == (0, 0)


def test_two_check_ins_under_one_objective_at_once_equal_a_full_recompute(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _parent, objective, krs = _one_objective_under_a_parent(world, values=(0, 0))

    barrier = threading.Barrier(2, timeout=20)
    original: Callable[..., Any] = rollup.refresh_for_check_in

    def both_at_once(*args: Any, **kwargs: Any) -> Any:
        barrier.wait()  # both check-ins written, neither rolled up yet
        return original(*args, **kwargs)

    monkeypatch.setattr(rollup, "refresh_for_check_in", both_at_once)
    errors: list[BaseException] = []

    def check_in(kr_pk: int, value: int) -> None:
        try:
            _check_in(world, kr_pk, value)
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


def test_the_repair_and_a_check_in_at_once_keep_the_check_in(world: World) -> None:
    """recompute_organisation (`manage.py recompute_progress`) reads every key result, fixes
    those whose stored progress is off, then every objective. Until session 25 it locked only
    the objectives: a check-in between its read and its write of a key result was overwritten
    with the progress of the value before (here 0.4 over the check-in's 0.8). Now it locks the
    key results as it reads them, key results before objectives as every writer does
    (rollup._ONE_LOCK_ORDER), and the check-in waits."""
    world.org.rollup_includes_children = True
    world.org.save()
    cycle = CycleFactory(organisation=world.org)
    parent = ObjectiveFactory(cycle=cycle, owner=world.member)
    objective = ObjectiveFactory(cycle=cycle, owner=world.member, parent=parent)
    kr = KeyResultFactory(
        objective=objective, baseline=D(0), target=D(100), current_value=D(40), progress=D(0)
    )  # stored progress off: the repair rewrites it

    seen = _race(
        lambda: rollup.recompute_organisation(world.org),
        lambda: _check_in(world, kr.pk, 80),
        write='UPDATE "okrs_keyresult" SET "progress"',
    )
    assert KeyResult.objects.for_org(world.org).get(pk=kr.pk).progress == D("0.8")
    progress = _progress(world)
    assert progress[objective.pk] == D("0.8")
    assert progress[parent.pk] == D("0.8")
    assert seen == "waiting"  # the check-in waited for the repair's key result lock
    assert rollup.recompute_organisation(world.org) == (0, 0)


def test_the_repair_holds_one_batch_of_key_results_at_a_time(world: World) -> None:
    """rollup._RECOMPUTE_IN_BATCHES: held in its first batch (before it writes the first key
    result's progress), the repair keeps a check-in on a key result of a later batch waiting
    for nothing. Until session 26 it held every key result's lock of the organisation in one
    transaction (3.5-5.7 s at 10,000 people)."""
    parent, objective, (first, second) = _one_objective_under_a_parent(world)
    KeyResult.objects.for_org(world.org).filter(pk=first.pk).update(progress=D(0))  # off

    seen = _race(
        lambda: rollup.recompute_organisation(world.org, batch=1),
        lambda: _check_in(world, second.pk, 80),
        write='UPDATE "okrs_keyresult" SET "progress"',
    )
    assert seen == "done"  # the check-in never waited for the repair's first batch
    progress = _progress(world)
    assert progress[objective.pk] == D("0.6")  # (0.4 + 0.8) / 2
    assert progress[parent.pk] == D("0.3")
    assert rollup.recompute_organisation(world.org) == (0, 0)


def test_repairs_running_through_a_stream_of_check_ins_never_deadlock(world: World) -> None:
    """Check-ins on two objectives' key results while the repair runs again and again, and a
    key result is edited: no deadlock, and what a full recompute gives."""
    world.org.rollup_includes_children = True
    world.org.save()
    cycle = CycleFactory(organisation=world.org)
    parent = ObjectiveFactory(cycle=cycle, owner=world.member)
    krs = [
        KeyResultFactory(
            objective=ObjectiveFactory(cycle=cycle, owner=world.member, parent=parent),
            baseline=D(0),
            target=D(100),
            current_value=D(0),
        )
        for _ in range(3)
    ]
    rollup.recompute_organisation(world.org)

    def check_ins(kr_pk: int) -> Callable[[], None]:
        def work() -> None:
            for value in range(5, 100, 10):
                _check_in(world, kr_pk, value)

        return work

    def repairs() -> None:
        for _ in range(8):
            rollup.recompute_organisation(world.org)

    def edits() -> None:
        for target in (50, 80, 100, 120, 100):
            kr = _fresh(world, krs[0].pk)
            update_key_result(
                actor=world.member,
                key_result=kr,
                version=kr.version,
                data=KeyResultData(title=kr.title, baseline=D(0), target=D(target)),
            )

    runners = [_Thread(check_ins(kr.pk)) for kr in krs] + [_Thread(repairs), _Thread(edits)]
    for r in runners:
        r.thread.start()
    for r in runners:
        r.thread.join(120)
    assert [r.error for r in runners if r.error] == []
    stored = _progress(world)
    assert rollup.recompute_organisation(world.org) == (0, 0)
    assert _progress(world) == stored


def test_check_ins_on_one_key_result_at_once_leave_it_at_the_latest(world: World) -> None:
    """services.check_ins _ONE_ROUND_TRIP: each check-in's lock, check and update are one
    statement that never stores an earlier time than the one it finds; whatever the order in
    which they got the lock, the key result shows the latest check-in (by its time, then id)
    and its progress."""
    _parent, _objective, (kr, _other) = _one_objective_under_a_parent(world)

    def four_check_ins(n: int) -> None:
        for i in range(4):
            _check_in(world, kr.pk, 10 * n + i)

    runners = [_Thread(partial(four_check_ins, n)) for n in range(1, 5)]
    for runner in runners:
        runner.thread.start()
    for runner in runners:
        runner.thread.join(60)
        assert runner.error is None, runner.error
    stored = KeyResult.objects.for_org(world.org).get(pk=kr.pk)
    latest = CheckIn.objects.for_org(world.org).filter(key_result=kr).order_by("-created_at", "-pk")
    assert latest.count() == 16
    assert stored.current_value == latest[0].value
    assert stored.last_check_in_at == latest[0].created_at
    assert latest[0].value is not None
    assert stored.progress == latest[0].progress == latest[0].value / 100
    assert rollup.recompute_organisation(world.org) == (0, 0)


def test_a_check_in_waiting_on_an_edits_lock_runs_again_on_the_edited_key_result(
    world: World,
) -> None:
    """The check-in read the key result before an edit that now holds its lock (target 100 ->
    50): its UPDATE waits, finds the definition moved once the edit commits, rolls back and
    runs again with the lock first, so its progress is computed from the new target."""
    _parent, _objective, (kr, _other) = _one_objective_under_a_parent(world)
    stale = _fresh(world, kr.pk)
    reached, go = threading.Event(), threading.Event()

    def hold_after_the_update(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        result = execute(sql, *args)
        if not reached.is_set() and sql.startswith('UPDATE "okrs_keyresult"'):
            reached.set()
            go.wait(30)
        return result

    def edit_target() -> None:
        fresh = _fresh(world, kr.pk)
        update_key_result(
            actor=world.member,
            key_result=fresh,
            version=fresh.version,
            data=KeyResultData(title=fresh.title, baseline=D(0), target=D(50)),
        )

    editor = _Thread(edit_target, hold_after_the_update)
    editor.thread.start()
    assert reached.wait(30), editor.error

    def check_in() -> None:
        record_check_in(
            actor=world.member, key_result=stale, data=CheckInData(value=D(20), confidence=6)
        )

    checker = _Thread(check_in)
    checker.thread.start()
    try:
        seen = _until_done_or_waiting_for_a_lock(checker)
    finally:
        go.set()
        editor.thread.join(60)
        checker.thread.join(60)
    assert editor.error is None and checker.error is None, (editor.error, checker.error)
    assert seen == "waiting"
    stored = KeyResult.objects.for_org(world.org).get(pk=kr.pk)
    assert (stored.target, stored.current_value, stored.progress) == (D(50), D(20), D("0.4"))
    assert CheckIn.objects.for_org(world.org).get(key_result=kr).progress == D("0.4")
    assert rollup.recompute_organisation(world.org) == (0, 0)


def _linked(world: World, objective_pk: int, kr_pk: int) -> None:
    """Count the key result in the objective (a contribution link) through the service."""
    link_contribution(
        actor=world.admin,
        objective=Objective.objects.for_org(world.org).select_related("cycle").get(pk=objective_pk),
        key_result=_fresh(world, kr_pk),
    )


def test_a_link_made_while_its_key_result_is_checked_in_counts_the_new_value(
    world: World,
) -> None:
    """services.alignment.link_contribution: the link's roll-up reads the key result's progress
    before the check-in commits, and the check-in's roll-up (its seed read before the link
    commits) does not see the link. Until session 26 the linking objective kept the value
    before the check-in (0.4 here). Now the link locks the key result first (key results
    before objectives, rollup._ONE_LOCK_ORDER): the check-in waits for the link's commit and
    its roll-up then counts the link."""
    _parent, _objective, (kr, _other) = _one_objective_under_a_parent(world)  # kr at 40
    elsewhere = ObjectiveFactory(cycle=_objective.cycle, owner=world.member)  # not in the chain

    seen = _race(lambda: _linked(world, elsewhere.pk, kr.pk), lambda: _check_in(world, kr.pk, 80))
    assert _progress(world)[elsewhere.pk] == D("0.8")  # the link counts the check-in
    assert seen == "waiting"  # the check-in waited for the link's lock of the key result
    assert rollup.recompute_organisation(world.org) == (0, 0)


def test_a_link_to_a_parent_made_while_a_check_ins_roll_up_runs_counts_the_new_value(
    world: World,
) -> None:
    """The other order: the check-in's roll-up holds the chain (locked, held before it reads
    what it averages) when the key result is linked to the objective's parent; the link waits
    (for the parent's lock, or for the key result's while the check-in's transaction holds it)
    and then reads the checked-in value, on top of the roll-up's write."""
    parent, objective, (kr, _other) = _one_objective_under_a_parent(world)

    seen = _race(
        lambda: _check_in(world, kr.pk, 80),
        lambda: _linked(world, parent.pk, kr.pk),
        write="SELECT 1, k.objective_id",  # the roll-up's read (rollup._parts_sql)
    )
    progress = _progress(world)
    assert progress[objective.pk] == D("0.4")  # (0.8 + 0) / 2
    # The parent: its key result link (0.8) and its two children (0.4 and 0), with equal weight.
    assert progress[parent.pk] == D("0.4")
    assert seen == "waiting"  # the link's roll-up waited for the check-in's
    assert rollup.recompute_organisation(world.org) == (0, 0)
