"""Bulk check-in in set-based SQL (core/bulk.py) gives exactly what one check-in at a time
gives; bulk check-ins and imports run a number of queries per batch, not per row."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any, cast
from uuid import uuid4

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import World
from okrcoach.core import bulk
from okrcoach.okrs.models import CheckIn, Cycle, KeyResult, Objective, TeamSettings
from okrcoach.okrs.services import importing
from okrcoach.okrs.services.alignment import link_contribution
from okrcoach.okrs.services.bulk_check_ins import record_check_ins_by_public_id
from okrcoach.okrs.services.check_ins import CheckInData, record_check_in, record_check_ins
from okrcoach.orgs.tests.factories import TeamFactory

from .factories import KeyResultFactory, ObjectiveFactory

KR_FIELDS = [
    "current_value",
    "milestone_done",
    "ordinal_level",
    "progress",
    "progress_raw",
    "confidence",
    "next_check_in_due",
    "last_check_in_at",
]


class _Undo(Exception):
    pass


def _tree(world: World, cycle: Cycle, n: int) -> list[tuple[KeyResult, CheckInData]]:
    """A company objective with team objectives under it, key results of every kind."""
    top = ObjectiveFactory(cycle=cycle, owner=world.member, level="company")
    items: list[tuple[KeyResult, CheckInData]] = []
    for i in range(n):
        o = ObjectiveFactory(cycle=cycle, owner=world.member, parent=top, team=world.team)
        metric = cast(KeyResult, KeyResultFactory(objective=o, baseline=D(i), target=D(100 + i)))
        down = cast(
            KeyResult,
            KeyResultFactory(
                objective=o, baseline=D(80), target=D(20), direction="decrease", weight=D(2)
            ),
        )
        milestone = cast(
            KeyResult, KeyResultFactory(objective=o, kr_type=KeyResult.KRType.MILESTONE)
        )
        items += [
            (metric, CheckInData(value=D(37 + i) + D("0.25"), confidence=i % 11)),
            (down, CheckInData(value=D(50 - i), confidence=6, progress_note=f"note {i}")),
            (milestone, CheckInData(milestone_done=i % 2 == 0, confidence=8)),
        ]
    items.append((items[0][0], CheckInData(value=D(60), confidence=3)))  # named twice
    return items


def _more_kinds(world: World, cycle: Cycle) -> list[tuple[KeyResult, CheckInData]]:
    """Key results the first tree lacks: ordinal, percent, a team with its own cadence, an
    objective of no team (the owner's team's cadence), an owner of no team (the organisation's
    cadence; someone else's key result on the actor's objective)."""
    squad = TeamFactory(organisation=world.org, name="Squad", slug="squad")
    TeamSettings.objects.for_org(world.org).create(
        organisation=world.org, team=squad, check_in_cadence_days=3
    )
    on_squad = ObjectiveFactory(cycle=cycle, owner=world.member, team=squad)
    no_team = ObjectiveFactory(cycle=cycle, owner=world.member, team=None)
    ordinal = cast(
        KeyResult, KeyResultFactory(objective=on_squad, kr_type=KeyResult.KRType.ORDINAL)
    )
    percent = cast(
        KeyResult,
        KeyResultFactory(objective=no_team, unit_kind=KeyResult.UnitKind.PERCENT, target=D(80)),
    )
    teamless = cast(KeyResult, KeyResultFactory(objective=no_team, owner=world.admin))
    return [
        (ordinal, CheckInData(ordinal_level=2, confidence=4, plans_note="  next  ")),
        (percent, CheckInData(value=D("12.5"), confidence=9, problems_note="none")),
        (teamless, CheckInData(value=D(70), confidence=2)),
        (ordinal, CheckInData(ordinal_level=1, confidence=5)),
    ]


def _state(world: World) -> dict[str, Any]:
    krs = KeyResult.objects.for_org(world.org).order_by("pk").values_list("pk", *KR_FIELDS)
    objectives = Objective.objects.for_org(world.org).order_by("pk").values_list("pk", "progress")
    check_ins = (
        CheckIn.objects.for_org(world.org)
        .order_by("key_result_id", "value", "ordinal_level", "pk")
        .values_list(
            "key_result_id",
            "author_id",
            "value",
            "milestone_done",
            "ordinal_level",
            "confidence",
            "progress",
            "progress_note",
            "plans_note",
            "problems_note",
            "created_at",
            "corrected_at",
        )
    )
    return {"krs": list(krs), "objectives": list(objectives), "check_ins": list(check_ins)}


def _one_at_a_time(world: World, items: list[tuple[KeyResult, CheckInData]]) -> dict[str, Any]:
    """The state recording these one at a time would leave (rolled back afterwards)."""
    one_by_one: dict[str, Any] = {}
    try:
        with transaction.atomic():
            for kr, data in items:
                fresh = KeyResult.objects.for_org(world.org).get(pk=kr.pk)
                record_check_in(actor=world.member, key_result=fresh, data=data)
            one_by_one = _state(world)
            raise _Undo
    except _Undo:
        pass
    return one_by_one


@pytest.mark.parametrize("children", [True, False], ids=["children-count", "own-only"])
def test_bulk_check_in_gives_the_same_results_as_one_at_a_time(
    world: World, cycle: Cycle, monkeypatch: pytest.MonkeyPatch, children: bool
) -> None:
    world.org.rollup_includes_children = children
    world.org.save(update_fields=["rollup_includes_children"])
    items = _tree(world, cycle, 6) + _more_kinds(world, cycle)
    # Another team's objective that counts one of the key results through a contribution
    # link, under a parent of its own: the roll-up reaches it and its ancestors.
    above = ObjectiveFactory(cycle=cycle, owner=world.peer, level="company")
    linked = ObjectiveFactory(cycle=cycle, owner=world.peer, parent=above)
    link_contribution(actor=world.peer, objective=linked, key_result=items[1][0], weight=D(2))
    now = timezone.now()  # one moment for both, so due dates and timestamps compare
    monkeypatch.setattr(timezone, "now", lambda: now)
    one_by_one = _one_at_a_time(world, items)
    before = _state(world)
    assert before != one_by_one
    assert record_check_ins(actor=world.member, items=items) == len(items)
    assert _state(world) == one_by_one
    assert any(progress > 0 for _pk, progress in one_by_one["objectives"])
    # The key results handed in come out with their new figures, as record_check_in's do.
    stored = KeyResult.objects.for_org(world.org).get(pk=items[0][0].pk)
    assert [getattr(items[0][0], f) for f in KR_FIELDS] == [getattr(stored, f) for f in KR_FIELDS]


def test_the_endpoints_bulk_check_in_by_public_id_gives_the_same_results_as_one_at_a_time(
    world: World, cycle: Cycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = _tree(world, cycle, 3) + _more_kinds(world, cycle)
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    one_by_one = _one_at_a_time(world, items)
    by_id = [(kr.public_id, data) for kr, data in items]
    assert record_check_ins_by_public_id(actor=world.member, items=by_id) == len(items)
    assert _state(world) == one_by_one


def test_a_key_result_the_actor_cannot_see_is_no_such_key_result_and_nothing_is_written(
    world: World, cycle: Cycle
) -> None:
    mine = cast(
        KeyResult, KeyResultFactory(objective=ObjectiveFactory(cycle=cycle, owner=world.member))
    )
    hidden = cast(
        KeyResult,
        KeyResultFactory(
            objective=ObjectiveFactory(
                cycle=cycle, owner=world.admin, visibility=Objective.Visibility.PRIVATE
            )
        ),
    )
    stranger = cast(
        KeyResult,
        KeyResultFactory(
            objective=ObjectiveFactory(owner=world.outsider, cycle__organisation=world.other_org)
        ),
    )
    public = cast(
        KeyResult, KeyResultFactory(objective=ObjectiveFactory(cycle=cycle, owner=world.admin))
    )
    before = _state(world)
    data = CheckInData(value=D(5), confidence=5)
    with pytest.raises(ValidationError) as caught:
        record_check_ins_by_public_id(
            actor=world.member,
            items=[(mine.public_id, data), (hidden.public_id, data), (stranger.public_id, data)],
        )
    assert set(caught.value.message_dict) == {"items.1.key_result_id", "items.2.key_result_id"}
    assert _state(world) == before
    # Seen but not theirs to check in: refused as record_check_in refuses it, nothing written.
    with pytest.raises(PermissionDenied):
        record_check_ins_by_public_id(
            actor=world.member, items=[(mine.public_id, data), (public.public_id, data)]
        )
    assert _state(world) == before


@pytest.mark.parametrize("n", [2, 20])  # SQLite splits inserts past 999 parameters
def test_bulk_check_in_runs_a_constant_number_of_queries_per_batch(
    world: World, cycle: Cycle, n: int, assert_queries: Any
) -> None:
    items = _tree(world, cycle, n)
    # the key results read and locked, cadences, one UPDATE of the key results, check-ins
    # insert, roll-up (rollup.refresh_objectives: the objectives with those linked to the key
    # results, and their ancestors when children count in parents, locked and read in one
    # query; their key results, links and unchanged children in one more; one UPDATE of the
    # objectives), audit, insights' look for the cycle's snapshot (none here: nothing more;
    # with one, see insights/tests/test_snapshots.py), and the savepoint pair of the outer
    # transaction. 11: was 12 with the bulk path's own roll-up, which read the key results and
    # the links in a query each (13 before, with one more for the key results' links).
    with assert_queries(11):
        record_check_ins(actor=world.member, items=items)


def test_the_set_based_update_writes_one_statement_per_batch(
    world: World, cycle: Cycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    objective = ObjectiveFactory(cycle=cycle, owner=world.member)
    krs = [KeyResultFactory(objective=objective) for _ in range(7)]
    for i, kr in enumerate(krs):
        kr.current_value, kr.confidence = D(i) + D("0.5"), i
        kr.next_check_in_due = None
    monkeypatch.setattr(bulk, "BATCH", 3)
    with CaptureQueriesContext(connection) as ctx:
        assert (
            bulk.update_from_values(
                KeyResult, world.org.pk, krs, ["current_value", "confidence", "next_check_in_due"]
            )
            == 7
        )
    assert len(ctx.captured_queries) == 3  # 3 + 3 + 1 rows
    stored = (
        KeyResult.objects.for_org(world.org)
        .order_by("pk")
        .values_list("current_value", "confidence", "next_check_in_due")
    )
    assert list(stored) == [(D(i) + D("0.5"), i, None) for i in range(7)]
    # Another organisation's row is never touched, even when named.
    stranger = cast(
        KeyResult,
        KeyResultFactory(
            objective=ObjectiveFactory(owner=world.outsider, cycle__organisation=world.other_org)
        ),
    )
    stranger.confidence = 1
    assert bulk.update_from_values(KeyResult, world.org.pk, [stranger], ["confidence"]) == 0


# Text that an array literal must escape (core/bulk.py writes columns as array literals).
NOTES = ['say "hi", {ok}', 'back\\slash \\" end', "NULL", "", "línea\nzwei\t'x'"]


def test_insert_rows_writes_plain_rows_in_one_statement_per_batch(
    world: World, cycle: Cycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    kr = cast(
        KeyResult, KeyResultFactory(objective=ObjectiveFactory(cycle=cycle, owner=world.member))
    )
    now = timezone.now()
    fields = ["organisation", "public_id", "key_result", "author", "value", "milestone_done"]
    fields += [
        "confidence",
        "progress_note",
        "plans_note",
        "problems_note",
        "progress",
        "created_at",
    ]
    rows = [
        (
            world.org.pk,
            uuid4(),
            kr.pk,
            world.member.pk,
            D(i) + D("0.25"),
            None,
            i,
            NOTES[i],
            "",
            "",
            D("0.5"),
            now,
        )
        for i in range(5)
    ]
    monkeypatch.setattr(bulk, "BATCH", 2)
    with CaptureQueriesContext(connection) as ctx:
        assert bulk.insert_rows(CheckIn, world.org.pk, fields, rows) == 5
    if connection.vendor == "postgresql":
        assert len(ctx.captured_queries) == 3  # 2 + 2 + 1 rows
    stored = (
        CheckIn.objects.for_org(world.org)
        .order_by("pk")
        .values_list(
            "public_id", "value", "milestone_done", "confidence", "progress_note", "created_at"
        )
    )
    assert list(stored) == [(r[1], r[4], None, r[6], r[7], now) for r in rows]


HEADER = "objective,level,team,owner_email,type,parent,key_result,kr_type,baseline,target,"
HEADER += "commit_label,target_label,direction\n"


def _import_file(n: int) -> bytes:
    rows = [
        f"Objective number {i},personal,,max@acme.test,committed,,"
        f"Result number {i},metric,0,{10 + i},,,increase\n"
        for i in range(n)
    ]
    return (HEADER + "".join(rows)).encode()


def _import_queries(world: World, cycle: Cycle, n: int) -> int:
    with CaptureQueriesContext(connection) as ctx:
        result = importing.import_okrs(
            actor=world.admin, cycle=cycle, data=_import_file(n), filename="okrs.csv"
        )
    assert (result.objectives, result.key_results) == (n, n)
    return len(ctx.captured_queries)


def test_an_import_writes_in_bulk_a_bounded_number_of_queries_per_batch(
    world: World, cycle: Cycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = _import_queries(world, cycle, 5)
    Objective.objects.for_org(world.org).filter(cycle=cycle).delete()
    # (30 rows stay under SQLite's 999 parameters per statement, which splits bigger inserts)
    large = _import_queries(world, cycle, 30)
    assert large == small  # one batch either way: the count does not grow with the rows
    Objective.objects.for_org(world.org).filter(cycle=cycle).delete()
    monkeypatch.setattr(importing, "BATCH", 10)
    batched = _import_queries(world, cycle, 30)
    # Three batches of objectives and of key results instead of one: two more INSERTs each.
    assert batched == small + 4


def _reports_items(world: World, cycle: Cycle, n: int) -> list[tuple[KeyResult, CheckInData]]:
    """Key results of the executive's reports (through the manager), on objectives of no team."""
    items: list[tuple[KeyResult, CheckInData]] = []
    for i in range(n):
        person = world.member if i % 2 else world.peer
        o = ObjectiveFactory(cycle=cycle, owner=person, team=None)
        kr = cast(KeyResult, KeyResultFactory(objective=o, owner=person))
        items.append((kr, CheckInData(value=D(10 + i), confidence=5)))
    return items


def test_checking_in_for_reports_reads_the_reporting_line_once_per_batch(
    world: World, cycle: Cycle
) -> None:
    """Someone else's key results: the permission needs the reporting line, read once for the
    batch (it was one query a row)."""
    counts = []
    for n in (2, 8):
        items = _reports_items(world, cycle, n)
        with CaptureQueriesContext(connection) as ctx:
            record_check_ins(actor=world.executive, items=items)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    stranger = ObjectiveFactory(cycle=cycle, owner=world.admin, team=None)
    theirs = cast(KeyResult, KeyResultFactory(objective=stranger, owner=world.admin))
    items = [*_reports_items(world, cycle, 2), (theirs, CheckInData(value=D(1), confidence=5))]
    before = CheckIn.objects.for_org(world.org).count()
    with pytest.raises(PermissionDenied):
        record_check_ins(actor=world.executive, items=items)
    assert CheckIn.objects.for_org(world.org).count() == before
