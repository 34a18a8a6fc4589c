"""Migration operations that build and drop indexes without blocking writes on PostgreSQL.

A plain CREATE INDEX holds a lock that stops every insert, update and delete on the table until
the index is built: minutes of refused check-ins on a large check-in table. PostgreSQL's
CONCURRENTLY builds it beside the writes (django.contrib.postgres' operations) but cannot run
inside a transaction, so a migration using these sets `atomic = False`. Django's own
operations refuse to run on another database (their schema editor takes no `concurrently`);
these run the plain AddIndex / RemoveIndex there, so the suite's SQLite keeps migrating."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations


class _PlainElsewhere:
    """The concurrent operation's forwards and backwards on PostgreSQL; elsewhere those of
    `plain`, the operation it stands for (same fields: the index, the model or its name)."""

    plain: Any

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self._pick(schema_editor, "database_forwards")(
            app_label, schema_editor, from_state, to_state
        )

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self._pick(schema_editor, "database_backwards")(
            app_label, schema_editor, from_state, to_state
        )

    def _pick(self, schema_editor: Any, name: str) -> Any:
        if schema_editor.connection.vendor == "postgresql":
            return getattr(super(), name)
        return getattr(self.plain, name).__get__(self)


class AddIndexConcurrentlyOnPostgres(_PlainElsewhere, AddIndexConcurrently):
    """AddIndexConcurrently on PostgreSQL, AddIndex elsewhere."""

    plain = migrations.AddIndex


class RemoveIndexConcurrentlyOnPostgres(_PlainElsewhere, RemoveIndexConcurrently):
    """RemoveIndexConcurrently on PostgreSQL, RemoveIndex elsewhere."""

    plain = migrations.RemoveIndex
