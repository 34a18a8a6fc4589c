"""An import leaves the coach's review to the task worker: its rows read "review pending" until
the task, queued in the import's own transaction, stores the same review the editor would have
stored. The import still applies whole or not at all; a refused one queues nothing."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import World
from okrcoach.okrs import coaching
from okrcoach.okrs.models import Cycle, KeyResult, Objective
from okrcoach.okrs.services import importing
from okrcoach.okrs.services.coach import recoach_organisation, review_pending_rows
from okrcoach.orgs.importing import ImportRejected

from .test_pages import client_for, url

pytestmark = pytest.mark.django_db

HEADER = "objective,level,owner_email,key_result,kr_type,baseline,target\n"


def _file(objectives: int, krs_each: int = 2, tag: str = "") -> bytes:
    lines = [HEADER]
    for o in range(objectives):
        for k in range(krs_each):
            lines.append(
                f"Objective {tag}{o} gets calmer,personal,max@acme.test,"
                f"Metric {k} of objective {o} rises,metric,0,{10 + k}\n"
            )
    return "".join(lines).encode()


def _import(world: World, cycle: Cycle, data: bytes) -> importing.OkrImportResult:
    return importing.import_okrs(actor=world.admin, cycle=cycle, data=data, filename="x.csv")


def _stored(world: World) -> dict[str, Any]:
    rows: list[Objective | KeyResult] = [
        *Objective.objects.for_org(world.org),
        *KeyResult.objects.for_org(world.org),
    ]
    return {r.title: (r.coach_verdict, r.coach_rules) for r in rows}


def _as_the_editor_would(world: World) -> dict[str, Any]:
    expected = {}
    for o in Objective.objects.for_org(world.org).select_related("cycle", "team", "parent"):
        coaching.store_review(o)
        expected[o.title] = (o.coach_verdict, o.coach_rules)
    for kr in KeyResult.objects.for_org(world.org).select_related(
        "objective__cycle", "objective__team"
    ):
        coaching.store_review(kr)
        expected[kr.title] = (kr.coach_verdict, kr.coach_rules)
    return expected


def test_an_imports_rows_are_pending_until_the_task_stores_the_editors_review(
    world: World, cycle: Cycle, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as queued:
        _import(world, cycle, _file(3))
    assert len(queued) == 1  # one task for the whole file
    assert all(v == ({"pending": True}, []) for v in _stored(world).values())
    assert {o.coach_state for o in Objective.objects.for_org(world.org)} == {"pending"}
    queued[0]()  # the commit: the tests' immediate task backend runs the review now
    assert _stored(world) == _as_the_editor_would(world)
    assert "pending" not in {kr.coach_state for kr in KeyResult.objects.for_org(world.org)}


def test_a_refused_import_writes_nothing_and_queues_no_review(
    world: World, cycle: Cycle, django_capture_on_commit_callbacks: Any
) -> None:
    bad = _file(2) + b"Objective 9 gets calmer,personal,nobody@acme.test,A metric,metric,0,1\n"
    with (
        django_capture_on_commit_callbacks(execute=True) as queued,
        pytest.raises(ImportRejected),
    ):
        _import(world, cycle, bad)
    assert queued == [] and not Objective.objects.for_org(world.org).exists()


def test_the_review_skips_a_row_edited_before_it_ran(
    world: World, cycle: Cycle, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as queued:
        _import(world, cycle, _file(1))
    edited = KeyResult.objects.for_org(world.org).select_related("objective").first()
    assert edited is not None
    edited.title = "Weekly active teams rise from 40 to 60"
    coaching.store_review(edited)  # what an edit's save stores
    edited.save(update_fields=["title", "coach_verdict", "coach_rules"])
    kept = (edited.coach_verdict, edited.coach_rules)
    objective_ids = list(Objective.objects.for_org(world.org).values_list("pk", flat=True))
    assert review_pending_rows(world.org, objective_ids=objective_ids) == 2  # not the edited one
    edited.refresh_from_db()
    assert (edited.coach_verdict, edited.coach_rules) == kept
    assert review_pending_rows(world.org, objective_ids=objective_ids) == 0  # twice is harmless
    queued[0]()
    assert _stored(world) == _as_the_editor_would(world)


@pytest.mark.parametrize("n", [2, 20])
def test_the_review_task_runs_a_constant_number_of_queries(
    world: World, cycle: Cycle, assert_queries: Any, n: int
) -> None:
    _import(world, cycle, _file(n, krs_each=3))  # on_commit never fires here: still pending
    ids = list(Objective.objects.for_org(world.org).values_list("pk", flat=True))
    # Per batch of REVIEW_BATCH objectives: their key results, then the objectives (with
    # cycle, team and parent), each locked in id order; the dismissals of both; one UPDATE ...
    # FROM each per 500 rows (a batch of 500 objectives with four key results each writes
    # 1 + 4); and the batch's transaction (a savepoint pair inside the test's; BEGIN and COMMIT,
    # not counted, in the worker).
    with assert_queries(7):
        assert review_pending_rows(world.org, objective_ids=ids) == n * 4


def test_pages_showing_the_coach_say_pending_until_the_review_runs(
    world: World, cycle: Cycle, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as queued:
        _import(world, cycle, _file(1))
    objective = Objective.objects.for_org(world.org).get()
    kr = KeyResult.objects.for_org(world.org).first()
    assert kr is not None
    client = client_for(world.admin)
    pages = [
        url(world, "objective_detail", objective_id=objective.public_id),
        url(world, "coach_key_result", key_result_id=kr.public_id),
        f"{url(world, 'coach_report')}?cycle={cycle.public_id}",
        f"{url(world, 'coach_report')}?cycle={cycle.public_id}&verdict=none",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert "Coach: review pending" in response.content.decode(), page
    queued[0]()
    for page in pages[:3]:
        body = client.get(page).content.decode()
        assert "Coach: review pending" not in body, page
        # (the report always lists the "not reviewed" group, with its count: 0 now)
        assert page == pages[2] or "Coach: not reviewed" not in body, page


def test_recoach_also_reviews_rows_left_pending(world: World, cycle: Cycle) -> None:
    _import(world, cycle, _file(2))  # the task never ran (on_commit does not fire here)
    recoach_organisation(world.org)
    assert _stored(world) == _as_the_editor_would(world)
