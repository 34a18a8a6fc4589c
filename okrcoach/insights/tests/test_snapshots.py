"""The cycle snapshot: what the executive views read instead of every key result. After a series
of writes (check-ins one by one and in bulk, a correction, a new objective and key result in a
team the snapshot had never seen, a coach verdict), the incrementally updated snapshot equals a
recomputation from scratch."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from okrcoach.insights import snapshots, tasks
from okrcoach.insights.models import CycleSnapshot, TeamSnapshot
from okrcoach.okrs.models import KeyResult
from okrcoach.okrs.services.check_ins import (
    CheckInData,
    correct_latest_check_in,
    record_check_in,
    record_check_ins,
)
from okrcoach.okrs.tests.factories import KeyResultFactory, ObjectiveFactory
from okrcoach.orgs.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _stored(org, cycle):
    snap = CycleSnapshot.objects.for_org(org).get(cycle=cycle)
    teams = {
        t.team_key: (t.dept_key, t.data)
        for t in TeamSnapshot.objects.for_org(org).filter(cycle=cycle)
    }
    return snap.data, teams


def _without_empty(teams):
    empty = snapshots._empty()
    return {k: v for k, v in teams.items() if v[1] != empty}


def test_a_series_of_writes_leaves_the_snapshot_equal_to_a_recomputation(
    world, okr_world, django_capture_on_commit_callbacks
):
    org, cycle = world.org, okr_world["cycle"]
    snapshots.compute_cycle(org, cycle)
    sales = TeamFactory(organisation=org, name="Sales", slug="sales")
    east = TeamFactory(organisation=org, name="Sales East", slug="sales-east", parent=sales)
    seller = MembershipFactory(organisation=org, team=east, manager=world.executive)
    with django_capture_on_commit_callbacks(execute=True):
        record_check_in(
            actor=world.member,
            key_result=okr_world["behind"],
            data=CheckInData(confidence=3, value=Decimal("25"), problems_note="Still waiting"),
        )
    with django_capture_on_commit_callbacks(execute=True):
        record_check_ins(
            actor=world.member,
            items=[
                (okr_world["on_pace"], CheckInData(confidence=9, value=Decimal("70"))),
                (okr_world["behind"], CheckInData(confidence=2, value=Decimal("26"))),
            ],
        )
    with django_capture_on_commit_callbacks(execute=True):
        objective = ObjectiveFactory(cycle=cycle, owner=seller, team=east, parent=None)
        kr = KeyResultFactory(objective=objective, coach_verdict={"verdict": "good"})
    with django_capture_on_commit_callbacks(execute=True):
        check_in = record_check_in(
            actor=seller, key_result=kr, data=CheckInData(confidence=7, value=Decimal("40"))
        )
    with django_capture_on_commit_callbacks(execute=True):
        correct_latest_check_in(
            actor=seller, check_in=check_in, data=CheckInData(confidence=6, value=Decimal("45"))
        )
    with django_capture_on_commit_callbacks(execute=True):
        okr_world["on_pace"].coach_verdict = {"verdict": "good"}
        okr_world["on_pace"].save()

    data, teams = _stored(org, cycle)
    fresh, placed = snapshots.build(org, cycle, timezone.localdate())
    assert data == fresh
    assert _without_empty(teams) == _without_empty(placed)
    # The new team rolled up to its department, which the snapshot now names.
    assert data["departments"][str(sales.pk)]["rated"] == 1
    assert data["departments"][str(sales.pk)]["name"] == "Sales"
    assert sum(n for n, _c, _p in data["weeks"].values()) == sum(
        n for n, _c, _p in fresh["weeks"].values()
    )


def test_writes_before_any_snapshot_write_nothing_and_a_page_computes_it(
    world, okr_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record_check_in(
            actor=world.member,
            key_result=okr_world["on_pace"],
            data=CheckInData(confidence=8, value=Decimal("65")),
        )
    assert not CycleSnapshot.objects.for_org(world.org).exists()
    c = Client()
    c.force_login(world.executive.user)
    body = c.get("/o/acme/").content.decode()
    assert "Figures computed at" in body
    snap = CycleSnapshot.objects.for_org(world.org).get()
    assert snap.data == snapshots.build(world.org, okr_world["cycle"], timezone.localdate())[0]


def test_the_executive_home_reads_the_snapshot_not_the_key_results(world, okr_world):
    """A key result written behind the snapshot's back (no save signal: a raw update) shows up only
    after the next full computation, as the nightly task does it."""
    org, cycle = world.org, okr_world["cycle"]
    snap = snapshots.compute_cycle(org, cycle)
    before = sum(snap.data["company"].values())
    KeyResult.objects.for_org(org).filter(pk=okr_world["on_pace"].pk).update(progress=Decimal("0"))
    c = Client()
    c.force_login(world.executive.user)
    assert c.get("/o/acme/").status_code == 200
    snap.refresh_from_db()
    assert sum(snap.data["company"].values()) == before
    assert snap.data["company"]["on_track"] >= 1
    snapshots.compute_cycle(org, cycle)
    snap.refresh_from_db()
    assert snap.data["company"]["on_track"] == 0


def test_the_nightly_command_computes_snapshots_and_training_impact(world, okr_world):
    from django.core.management import call_command

    call_command("compute_insights")
    assert CycleSnapshot.objects.for_org(world.org).filter(cycle=okr_world["cycle"]).exists()


def _teams_with_key_results(org, cycle, manager, n):
    """n new teams (and a person without a team), each owning one key result of the cycle."""
    krs = []
    for i in range(n):
        team = TeamFactory(organisation=org, name=f"Squad {n}-{i}", slug=f"squad-{n}-{i}")
        person = MembershipFactory(organisation=org, team=team, manager=manager)
        objective = ObjectiveFactory(cycle=cycle, owner=person, team=team)
        krs.append(KeyResultFactory(objective=objective, owner=person))
    loner = MembershipFactory(organisation=org, team=None, manager=manager)
    krs.append(KeyResultFactory(objective=ObjectiveFactory(cycle=cycle, owner=loner, team=None)))
    return krs


def test_a_bulk_check_in_across_many_teams_recounts_them_in_a_fixed_number_of_queries(
    world, okr_world, django_assert_num_queries
):
    """Two grouped counts and one bulk write, not three queries and a save per team: a bulk
    check-in over 250 teams made 750 of them. The teams come from the key results in hand, and
    the weekly counts move by the check-ins written: no query reads the teams' old check-ins."""
    org, cycle = world.org, okr_world["cycle"]
    few = _teams_with_key_results(org, cycle, world.manager, 2)
    many = _teams_with_key_results(org, cycle, world.manager, 8)
    snapshots.compute_cycle(org, cycle)
    for krs in (few, many):
        # The bulk check-in's own 11 (okrs/tests/test_bulk_writes.py, the snapshot's locked
        # read among them), then the team rows, two counts (key results, objectives), one
        # UPDATE of the team rows and the snapshot's: the same for 3 teams and for 9. 16: was
        # 17 before the bulk check-in used rollup.refresh_objectives (key results and links in
        # one read), 18 before the contribution links were read in the roll-up's first query.
        with django_assert_num_queries(16):
            record_check_ins(
                actor=world.admin,
                items=[(kr, CheckInData(confidence=6, value=Decimal("30"))) for kr in krs],
            )
    data, teams = _stored(org, cycle)
    fresh, placed = snapshots.build(org, cycle, timezone.localdate())
    assert data == fresh
    assert _without_empty(teams) == _without_empty(placed)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_check_in_queues_its_teams_recount_for_the_worker_and_the_worker_brings_it_level(
    world, okr_world, django_capture_on_commit_callbacks
):
    """The request that checks in does not recount (perf/LOAD_RESULTS.md): once it has
    committed it queues its team's recount to run a moment later, and running that task makes
    the snapshot equal to a recomputation."""
    org, cycle = world.org, okr_world["cycle"]
    cache.clear()
    snapshots.compute_cycle(org, cycle)
    before, _teams = _stored(org, cycle)
    kr = okr_world["behind"]
    with django_capture_on_commit_callbacks(execute=True):
        record_check_in(
            actor=world.member, key_result=kr, data=CheckInData(confidence=2, value=Decimal("25"))
        )
    assert _stored(org, cycle)[0] == before
    queued = DBTaskResult.objects.filter(task_path__endswith="refresh_team_snapshots")
    assert [row.args_kwargs["kwargs"] for row in queued] == [
        {"organisation_id": org.pk, "cycle_id": cycle.pk, "team_keys": [kr.owner.team_id or 0]}
    ]
    assert queued.get().run_after > timezone.now()  # after the window: see signals.py
    assert not DBTaskResult.objects.filter(task_path__endswith="refresh_key_result_snapshots")
    tasks.refresh_team_snapshots.call(**queued.get().args_kwargs["kwargs"])
    data, teams = _stored(org, cycle)
    fresh, placed = snapshots.build(org, cycle, timezone.localdate())
    assert data == fresh != before
    assert _without_empty(teams) == _without_empty(placed)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_teams_check_ins_within_the_window_share_one_recount_that_counts_them_all(
    world, okr_world, django_capture_on_commit_callbacks
):
    org, cycle = world.org, okr_world["cycle"]
    cache.clear()
    snapshots.compute_cycle(org, cycle)
    kr = okr_world["behind"]
    queued = DBTaskResult.objects.filter(task_path__endswith="refresh_team_snapshots")
    for value, confidence in (("25", 2), ("30", 5), ("35", 8)):
        with django_capture_on_commit_callbacks(execute=True):
            record_check_in(
                actor=world.member,
                key_result=kr,
                data=CheckInData(confidence=confidence, value=Decimal(value)),
            )
    assert queued.count() == 1  # the later two found the first one's recount queued
    tasks.refresh_team_snapshots.call(**queued.get().args_kwargs["kwargs"])
    data, teams = _stored(org, cycle)
    fresh, placed = snapshots.build(org, cycle, timezone.localdate())
    assert data == fresh
    assert _without_empty(teams) == _without_empty(placed)
    # Once the window is over (the flag expired) the next check-in queues a recount again.
    cache.delete(f"insights:recount:{org.pk}:{cycle.pk}:{kr.owner.team_id or 0}")
    with django_capture_on_commit_callbacks(execute=True):
        record_check_in(
            actor=world.member, key_result=kr, data=CheckInData(confidence=6, value=Decimal("40"))
        )
    assert queued.count() == 2


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_rolled_back_check_in_queues_no_recount(
    world, okr_world, django_capture_on_commit_callbacks
):
    cache.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(_Undo),
        transaction.atomic(),
    ):
        record_check_in(
            actor=world.member,
            key_result=okr_world["behind"],
            data=CheckInData(confidence=2, value=Decimal("25")),
        )
        raise _Undo
    assert not DBTaskResult.objects.filter(task_path__endswith="refresh_team_snapshots").exists()


class _Undo(Exception):
    pass


def _spread_items(world, org, cycle):
    """Check-ins over several teams: two known to the snapshot, one it has never seen (in a
    department it has never seen), a person without a team, a key result named twice."""
    squads = _teams_with_key_results(org, cycle, world.manager, 2)
    snapshots.compute_cycle(org, cycle)
    sales = TeamFactory(organisation=org, name="Sales", slug="sales")
    east = TeamFactory(organisation=org, name="Sales East", slug="sales-east", parent=sales)
    seller = MembershipFactory(organisation=org, team=east, manager=world.executive)
    newcomer = KeyResultFactory(
        objective=ObjectiveFactory(cycle=cycle, owner=seller, team=east), owner=seller
    )
    krs = [*squads, newcomer]
    items = [
        (kr, CheckInData(confidence=3 + i % 7, value=Decimal(17 + 11 * i) + Decimal("0.35")))
        for i, kr in enumerate(krs)
    ]
    items.append((squads[0], CheckInData(confidence=9, value=Decimal("88.125"))))
    return items


@pytest.mark.parametrize("user_zone", [None, "Pacific/Kiritimati"])
def test_a_bulk_check_in_leaves_the_snapshot_a_check_in_at_a_time_leaves(
    world, okr_world, django_capture_on_commit_callbacks, user_zone
):
    """The weekly counts moved by the check-ins written equal a recount of every check-in, the
    other counters too; whatever time zone the writer's request runs in (snapshots count in
    the default one, as the nightly computation)."""
    org, cycle = world.org, okr_world["cycle"]
    items = _spread_items(world, org, cycle)
    zone = timezone.override(user_zone) if user_zone else timezone.override(None)
    one_by_one = None
    try:
        with transaction.atomic(), zone:
            with django_capture_on_commit_callbacks(execute=True):
                for kr, data in items:
                    fresh_kr = KeyResult.objects.for_org(org).get(pk=kr.pk)
                    record_check_in(actor=world.admin, key_result=fresh_kr, data=data)
            one_by_one = _stored(org, cycle)
            raise _Undo
    except _Undo:
        pass
    assert one_by_one is not None
    before = _stored(org, cycle)
    assert before != one_by_one
    with zone, django_capture_on_commit_callbacks(execute=True) as callbacks:
        record_check_ins(actor=world.admin, items=items)
    # Counted inside the transaction: nothing of insights' left for after the commit.
    assert not [c for c in callbacks if c.__module__ == "okrcoach.insights.signals"]
    assert _stored(org, cycle) == one_by_one
    data, teams = one_by_one
    fresh, placed = snapshots.build(org, cycle, timezone.localdate())
    assert data == fresh
    assert _without_empty(teams) == _without_empty(placed)
    assert sum(n for n, _c, _p in data["weeks"].values()) >= len(items)


def test_a_bulk_check_in_that_fails_leaves_the_snapshot_as_it_was(world, okr_world):
    """The snapshot moves inside the check-ins' transaction: refused, both stay as they were."""
    org, cycle = world.org, okr_world["cycle"]
    items = _spread_items(world, org, cycle)
    items.append((items[0][0], CheckInData(confidence=11, value=Decimal("1"))))  # refused
    before = _stored(org, cycle)
    with pytest.raises(ValidationError):
        record_check_ins(actor=world.admin, items=items)
    assert _stored(org, cycle) == before
