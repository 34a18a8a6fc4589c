from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal as D
from functools import partial
from typing import Any, cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection, connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import World
from okrcoach.comms.models import FeedEntry
from okrcoach.core.models import AuditEvent
from okrcoach.okrs import rollup
from okrcoach.okrs.models import CheckIn, Cycle, KeyResult, Objective, TeamSettings
from okrcoach.okrs.services.alignment import link_contribution
from okrcoach.okrs.services.check_ins import (
    CheckInData,
    correct_latest_check_in,
    record_check_in,
    record_check_ins,
)
from okrcoach.okrs.tasks import recompute_objectives

from .factories import KeyResultFactory, ObjectiveFactory


def _kr(world: World, cycle: Cycle, **kwargs: Any) -> KeyResult:
    objective = ObjectiveFactory(cycle=cycle, owner=world.member, team=world.team)
    return cast(KeyResult, KeyResultFactory(objective=objective, **kwargs))


def test_check_in_moves_the_key_result_and_its_objective(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle, baseline=D(40), target=D(10), direction="decrease")
    check_in = record_check_in(
        actor=world.member, key_result=kr, data=CheckInData(value=D(25), confidence=6)
    )
    kr.refresh_from_db()
    assert check_in.progress == D("0.5")
    assert (kr.current_value, kr.progress, kr.confidence) == (D(25), D("0.5"), 6)
    assert kr.next_check_in_due == timezone.localdate() + timedelta(days=7)
    assert Objective.objects.for_org(world.org).get(pk=kr.objective_id).progress == D("0.5")
    assert (
        AuditEvent.objects.for_org(world.org).filter(action="okrs.check_in.recorded").count() == 1
    )


def test_a_team_cadence_overrides_the_organisation_cadence(world: World, cycle: Cycle) -> None:
    TeamSettings.objects.create(organisation=world.org, team=world.team, check_in_cadence_days=14)
    kr = _kr(world, cycle)
    record_check_in(actor=world.member, key_result=kr, data=CheckInData(value=D(5), confidence=5))
    kr.refresh_from_db()
    assert kr.next_check_in_due == timezone.localdate() + timedelta(days=14)


def test_peer_cannot_check_in_on_someone_elses_key_result_and_nothing_is_written(
    world: World, cycle: Cycle
) -> None:
    kr = _kr(world, cycle)
    with pytest.raises(PermissionDenied):
        record_check_in(actor=world.peer, key_result=kr, data=CheckInData(value=D(5), confidence=5))
    assert not CheckIn.objects.for_org(world.org).exists()
    kr.refresh_from_db()
    assert kr.current_value is None


def test_manager_can_check_in_for_a_report(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    record_check_in(actor=world.manager, key_result=kr, data=CheckInData(value=D(5), confidence=5))
    assert CheckIn.objects.for_org(world.org).count() == 1


def test_outsider_is_refused_across_organisations(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    with pytest.raises(PermissionDenied):
        record_check_in(
            actor=world.outsider, key_result=kr, data=CheckInData(value=D(5), confidence=5)
        )


@pytest.mark.parametrize(
    ("kr_type", "data", "field"),
    [
        ("metric", CheckInData(confidence=5), "value"),
        ("milestone", CheckInData(confidence=5), "milestone_done"),
        ("ordinal", CheckInData(confidence=5, ordinal_level=9), "ordinal_level"),
        ("metric", CheckInData(confidence=11, value=D(1)), "confidence"),
    ],
)
def test_bad_check_in_input_names_the_field(
    world: World, cycle: Cycle, kr_type: str, data: CheckInData, field: str
) -> None:
    kr = _kr(world, cycle, kr_type=kr_type, commit_label="a", target_label="b")
    with pytest.raises(ValidationError) as exc:
        record_check_in(actor=world.member, key_result=kr, data=data)
    assert field in exc.value.message_dict
    assert not CheckIn.objects.for_org(world.org).exists()


def test_check_ins_are_refused_outside_an_active_cycle(world: World, cycle: Cycle) -> None:
    cycle.state = Cycle.State.GRADING
    cycle.save()
    kr = _kr(world, cycle)
    with pytest.raises(ValidationError) as exc:
        record_check_in(
            actor=world.member, key_result=kr, data=CheckInData(value=D(5), confidence=5)
        )
    assert "value" in exc.value.message_dict


def _chain(world: World, cycle: Cycle, depth: int) -> list[Objective]:
    chain = [ObjectiveFactory(cycle=cycle, owner=world.member)]
    for _ in range(depth - 1):
        chain.append(ObjectiveFactory(cycle=cycle, owner=world.member, parent=chain[-1]))
    return cast(list[Objective], chain)


@pytest.mark.parametrize("depth", [2, 8])
def test_roll_up_reaches_every_ancestor_in_the_same_number_of_queries_at_any_depth(
    world: World, cycle: Cycle, depth: int
) -> None:
    world.org.rollup_includes_children = True
    world.org.save()
    chain = _chain(world, cycle, depth)
    made = KeyResultFactory(objective=chain[-1])
    kr = (
        KeyResult.objects.for_org(world.org)
        .select_related(
            "objective__cycle", "objective__organisation", "objective__team", "owner__team"
        )
        .get(pk=made.pk)
    )
    with CaptureQueriesContext(connection) as ctx:
        record_check_in(
            actor=world.member, key_result=kr, data=CheckInData(value=D(50), confidence=7)
        )
    # One transaction (services.check_ins _ONE_TRANSACTION, session 26): savepoint, cadence
    # lookup, audit insert, the activity feed line (comms; nobody else to notify here), the key
    # result's lock (re-read), KR update, check-in insert; then the roll-up: the lock of the
    # objectives it writes (ancestors through one recursive CTE), the one read (the same
    # objectives, their KRs, links, unchanged siblings; the objective's key results for its
    # pace before and after come with it), one bulk update, the status line (the first
    # check-in moves the objective from at risk to on track); release. (14 when the roll-up had
    # a transaction of its own, a savepoint pair more, sessions 23-25; 11 in one transaction
    # that read without locking, before session 23; 15 before: the roll-up's four reads and the
    # pace's own read.) On PostgreSQL (services.check_ins _ONE_ROUND_TRIP, session 25) the
    # lock, its check and the update are one UPDATE ... RETURNING; since session 26
    # (check_ins _WRITES_LAST) the audit row, both feed lines, the check-in and the objectives'
    # update are one statement after the roll-up's read: 7 (11 with two transactions and the
    # objectives' update and the status line on their own).
    assert len(ctx.captured_queries) == (7 if connection.vendor == "postgresql" else 12)
    feed = [q["sql"].count('INSERT INTO "comms_feedentry"') for q in ctx.captured_queries]
    assert sum(feed) == 2
    progresses = list(
        Objective.objects.for_org(world.org)
        .filter(pk__in=[o.pk for o in chain])
        .values_list("progress", flat=True)
    )
    assert all(p == D("0.5") for p in progresses)


def test_without_child_roll_up_the_parent_does_not_move(world: World, cycle: Cycle) -> None:
    parent, child = _chain(world, cycle, 2)
    kr = KeyResultFactory(objective=child)
    record_check_in(actor=world.member, key_result=kr, data=CheckInData(value=D(50), confidence=7))
    parent.refresh_from_db()
    assert parent.progress == D(0)


def test_author_may_correct_the_latest_check_in_within_a_day(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    check_in = record_check_in(
        actor=world.member, key_result=kr, data=CheckInData(value=D(50), confidence=7)
    )
    correct_latest_check_in(
        actor=world.member, check_in=check_in, data=CheckInData(value=D(20), confidence=4)
    )
    kr.refresh_from_db()
    stored = CheckIn.objects.for_org(world.org).get()
    assert (stored.value, stored.progress, kr.progress, kr.confidence) == (
        D(20),
        D("0.2"),
        D("0.2"),
        4,
    )
    assert stored.corrected_at is not None
    assert AuditEvent.objects.for_org(world.org).filter(action="okrs.check_in.corrected").exists()


def test_a_check_in_older_than_a_day_cannot_be_corrected(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    check_in = record_check_in(
        actor=world.member, key_result=kr, data=CheckInData(value=D(50), confidence=7)
    )
    CheckIn.objects.for_org(world.org).update(created_at=timezone.now() - timedelta(hours=25))
    check_in.refresh_from_db()
    with pytest.raises(ValidationError):
        correct_latest_check_in(
            actor=world.member, check_in=check_in, data=CheckInData(value=D(20), confidence=4)
        )


def test_only_the_author_may_correct_a_check_in(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    check_in = record_check_in(
        actor=world.member, key_result=kr, data=CheckInData(value=D(50), confidence=7)
    )
    with pytest.raises(PermissionDenied):
        correct_latest_check_in(
            actor=world.manager, check_in=check_in, data=CheckInData(value=D(20), confidence=4)
        )


def test_check_ins_cannot_be_edited_or_deleted_directly(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    check_in = record_check_in(
        actor=world.member, key_result=kr, data=CheckInData(value=D(50), confidence=7)
    )
    with pytest.raises(PermissionError):
        check_in.save()
    with pytest.raises(PermissionError):
        check_in.delete()
    with pytest.raises(PermissionError):
        CheckIn.objects.for_org(world.org).delete()


def test_bulk_check_in_is_all_or_nothing(world: World, cycle: Cycle) -> None:
    good = _kr(world, cycle)
    other = _kr(world, cycle)
    items = [
        (good, CheckInData(value=D(10), confidence=5)),
        (other, CheckInData(value=None, confidence=5)),
    ]
    with pytest.raises(ValidationError) as exc:
        record_check_ins(actor=world.member, items=items)
    assert "items.1.value" in exc.value.message_dict
    assert not CheckIn.objects.for_org(world.org).exists()
    good.refresh_from_db()
    assert good.current_value is None


def test_a_contribution_link_carries_progress_to_another_teams_objective(
    world: World, cycle: Cycle
) -> None:
    kr = _kr(world, cycle)
    dependent = ObjectiveFactory(cycle=cycle, owner=world.peer)
    link_contribution(actor=world.peer, objective=dependent, key_result=kr, weight=D(1))
    record_check_in(actor=world.member, key_result=kr, data=CheckInData(value=D(40), confidence=5))
    dependent.refresh_from_db()
    assert dependent.progress == D("0.4")


def test_an_edit_between_the_read_and_the_lock_reruns_the_check_in_with_the_lock_first(
    world: World, cycle: Cycle
) -> None:
    # check_ins._LOCK_LAST: the audit row and the feed line are written from the key result as
    # the caller read it, before its lock. Here an edit (target 100 -> 200, a new version) lands
    # after the caller's read: the lock sees it, the first attempt rolls back, and the second
    # (lock first) writes every row from the edited key result.
    kr = _kr(world, cycle)
    assert (kr.target, kr.version) == (D(100), kr.version)
    KeyResult.objects.for_org(world.org).filter(pk=kr.pk).update(
        target=D(200), version=kr.version + 1
    )
    check_in = record_check_in(
        actor=world.member, key_result=kr, data=CheckInData(value=D(50), confidence=5)
    )
    assert check_in.progress == D("0.25") == kr.progress
    stored = KeyResult.objects.for_org(world.org).get(pk=kr.pk)
    assert (stored.progress, stored.current_value, stored.target) == (D("0.25"), D(50), D(200))
    assert CheckIn.objects.for_org(world.org).get().progress == D("0.25")
    event = AuditEvent.objects.for_org(world.org).get(action="okrs.check_in.recorded")
    assert event.data["progress"] == "0.2500"
    assert event.target_id == str(check_in.public_id)
    lines = FeedEntry.objects.filter(organisation=world.org, verb=FeedEntry.Verb.CHECKED_IN)
    assert [e.detail for e in lines] == ["Progress 25%, confidence 5/10"]
    objective = Objective.objects.for_org(world.org).get(pk=kr.objective_id)
    assert objective.progress == D("0.25")


def test_the_check_in_time_is_taken_under_the_lock(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    before = timezone.now()
    check_in = record_check_in(
        actor=world.member, key_result=kr, data=CheckInData(value=D(50), confidence=5)
    )
    stored = KeyResult.objects.for_org(world.org).get(pk=kr.pk)
    assert stored.last_check_in_at == check_in.created_at >= before
    assert CheckIn.objects.for_org(world.org).get().created_at == stored.last_check_in_at


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_failed_roll_up_writes_nothing_and_the_error_reaches_the_caller(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The roll-up commits with the check-in (check_ins._ONE_TRANSACTION, session 26): when it
    fails, the check-in, its key result's move, its audit, feed and task rows roll back with
    it, and the caller gets the error (until session 25 the check-in stood and a task repaired
    the progress later)."""
    world.org.rollup_includes_children = True
    world.org.save()
    parent = ObjectiveFactory(cycle__organisation=world.org, owner=world.member)
    objective = ObjectiveFactory(cycle=parent.cycle, owner=world.member, parent=parent)
    kr = cast(KeyResult, KeyResultFactory(objective=objective, baseline=D(0), target=D(100)))
    other = ObjectiveFactory(cycle=parent.cycle, owner=world.member, team=world.team)
    link_contribution(actor=world.admin, objective=other, key_result=kr, weight=D(1))
    audits = AuditEvent.objects.for_org(world.org).count()
    feed = FeedEntry.objects.for_org(world.org).count()
    tasks = DBTaskResult.objects.count()

    def deadlocked(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("deadlock detected")

    monkeypatch.setattr(rollup, "refresh_for_check_in", deadlocked)
    with pytest.raises(OperationalError):
        record_check_in(
            actor=world.member, key_result=kr, data=CheckInData(value=D(30), confidence=6)
        )
    stored = KeyResult.objects.for_org(world.org).get(pk=kr.pk)
    assert (stored.current_value, stored.progress, stored.last_check_in_at) == (None, D(0), None)
    assert not CheckIn.objects.for_org(world.org).filter(key_result=kr).exists()
    assert AuditEvent.objects.for_org(world.org).count() == audits
    assert FeedEntry.objects.for_org(world.org).count() == feed
    assert DBTaskResult.objects.count() == tasks  # no webhook event, no repair queued
    progress = dict(Objective.objects.for_org(world.org).values_list("pk", "progress"))
    assert progress == {parent.pk: D(0), objective.pk: D(0), other.pk: D(0)}

    monkeypatch.undo()  # the same check-in again, now whole
    record_check_in(
        actor=world.member,
        key_result=KeyResult.objects.for_org(world.org)
        .select_related("objective__cycle", "objective__team", "owner")
        .get(pk=kr.pk),
        data=CheckInData(value=D(30), confidence=6),
    )
    progress = dict(Objective.objects.for_org(world.org).values_list("pk", "progress"))
    assert progress == {parent.pk: D("0.3"), objective.pk: D("0.3"), other.pk: D("0.3")}
    assert rollup.recompute_organisation(world.org) == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_the_next_read_on_another_connection_sees_the_roll_up(world: World) -> None:
    """Read-your-writes: when record_check_in returns, the check-in and the progress of every
    objective above are committed together (check_ins._ONE_TRANSACTION), so the next request,
    on whatever connection of the pool, reads them; nothing is left for later."""
    world.org.rollup_includes_children = True
    world.org.save()
    parent = ObjectiveFactory(cycle__organisation=world.org, owner=world.member)
    objective = ObjectiveFactory(cycle=parent.cycle, owner=world.member, parent=parent)
    kr = cast(KeyResult, KeyResultFactory(objective=objective, baseline=D(0), target=D(100)))
    record_check_in(actor=world.member, key_result=kr, data=CheckInData(value=D(60), confidence=7))
    assert not connection.in_atomic_block
    seen: dict[str, Any] = {}

    def read() -> None:  # a connection of its own, as the next request may get
        try:
            seen["progress"] = dict(
                Objective.objects.for_org(world.org).values_list("pk", "progress")
            )
            seen["check_ins"] = CheckIn.objects.for_org(world.org).filter(key_result=kr).count()
        finally:
            connections.close_all()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join(30)
    assert seen == {
        "progress": {parent.pk: D("0.6"), objective.pk: D("0.6")},
        "check_ins": 1,
    }


def test_the_repair_task_is_safe_to_run_twice_and_ignores_a_deleted_organisation(
    world: World, cycle: Cycle
) -> None:
    kr = _kr(world, cycle, current_value=D(50))
    KeyResult.objects.for_org(world.org).filter(pk=kr.pk).update(progress=D("0.5"))
    run = partial(
        recompute_objectives.call,
        organisation_id=world.org.pk,
        objective_ids=[kr.objective_id],
        key_result_ids=[kr.pk],
    )
    assert (run(), run()) == (1, 0)  # moved once, then nothing left to move
    assert Objective.objects.for_org(world.org).get(pk=kr.objective_id).progress == D("0.5")
    assert recompute_objectives.call(organisation_id=-1, objective_ids=[1], key_result_ids=[]) == 0
