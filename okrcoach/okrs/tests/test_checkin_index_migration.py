"""Migration 0007 builds the check-in indexes without blocking writes on PostgreSQL (CREATE INDEX
CONCURRENTLY, core/indexes.py) and as plain indexes on SQLite; both ways, back and forth."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

BEFORE = [("okrs", "0006_tree_top")]
AFTER = [("okrs", "0007_checkin_newest_first")]
NEW = {"checkin_org_kr_newest", "checkin_kr_newest"}


def _indexes() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, "okrs_checkin"))


def _migrate(targets: list[tuple[str, str]]) -> list[str]:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    with CaptureQueriesContext(connection) as queries:
        executor.migrate(targets)
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.django_db(transaction=True)
def test_the_check_in_indexes_are_built_concurrently_on_postgresql_and_plainly_elsewhere() -> None:
    try:
        back = _migrate(BEFORE)
        assert not NEW & _indexes()
        assert "checkin_org_kr" in _indexes()
        forth = _migrate(AFTER)
        assert _indexes() >= NEW
        assert "checkin_org_kr" not in _indexes()
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    creates = [sql for sql in forth if sql.startswith("CREATE INDEX")]
    assert len(creates) == 2
    if connection.vendor == "postgresql":
        assert all(sql.startswith("CREATE INDEX CONCURRENTLY") for sql in creates)
        assert any(sql.startswith("DROP INDEX CONCURRENTLY") for sql in forth)
        assert any(sql.startswith("DROP INDEX CONCURRENTLY") for sql in back)
        with connection.cursor() as cursor:  # a failed concurrent build leaves an invalid index
            cursor.execute(
                "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                " WHERE c.relname = ANY(%s) AND i.indisvalid",
                [sorted(NEW)],
            )
            assert cursor.fetchone()[0] == 2
    else:
        assert not any("CONCURRENTLY" in sql for sql in forth + back)
