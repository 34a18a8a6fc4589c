"""Cycle-wide queries whose best plan depends on the reader's reach and the organisation's size
run unprepared on PostgreSQL (core.prepared.never_prepared): psycopg's automatic preparing let
PostgreSQL keep a generic plan that took several times longer at 10,000 people
(perf/LOAD_RESULTS.md, 4 Dec 2026): the grading page's objectives, the cycle evaluation's two
grouped counts and the company coverage's counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import World
from okrcoach.okrs.models import Cycle
from okrcoach.okrs.selectors import cycles, pages, tree

from .factories import KeyResultFactory, ObjectiveFactory

# A piece of each statement's SQL that no other statement of these pages has.
MARKERS = {
    "grading objectives": '"okrs_objective"."level" ASC, "okrs_objective"."position" ASC',
    "evaluation objectives": 'AS "committed_met"',
    "evaluation key results": 'AS "yellow"',
    "coverage": 'COUNT(DISTINCT "okrs_objective"."team_id")',
}


def test_the_cycle_wide_queries_of_grading_evaluation_and_coverage_are_never_prepared(
    world: World, cycle: Cycle
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    for owner in (world.member, world.manager):
        objective = ObjectiveFactory(cycle=cycle, owner=owner, team=world.team)
        KeyResultFactory(objective=objective, owner=owner)
    with CaptureQueriesContext(connection) as captured:
        for _ in range(8):  # psycopg prepares a statement on its 6th run
            for actor in (world.manager, world.member, world.admin):
                assert pages.grading_page(actor, cycle).cycle == cycle
                assert cycles.cycle_evaluation_page(actor, cycle).teams
                assert tree._coverage(actor, cycle).alignable == 2
    ran = [q["sql"] for q in captured.captured_queries]
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert prepared  # psycopg prepares the rest (the grading page's key results, ...)
    for name, marker in MARKERS.items():
        assert any(marker in sql for sql in ran), f"{name}: not run"
        assert not [s for s in prepared if marker in s], f"{name}: prepared"
