"""Reporting-line filters the planner can drive from an index (PostgreSQL).

`owner IN (recursive subtree)` is planned as a hashed subplan whose size the planner guesses at
thousands of rows, so it scans every key result, objective and check-in of the organisation and
filters them, even for a manager with 60 people below. `owner = ANY(ARRAY(subtree))` is
evaluated once, up front (and only if a row needs it), and used as an index condition on the
owner's index. SQLite keeps the plain `IN (subquery)`. okrs.permissions.visible_fast_q builds the
visibility rule from these."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, F, Func, Q
from django.db.models.expressions import RawSQL
from django.db.models.sql.compiler import SQLCompiler

from .models import Membership
from .selectors import subtree_ids


class _InLine(Func):
    """`field` is one of the ids the raw subquery returns."""

    output_field = BooleanField()
    arg_joiner = " = ANY(ARRAY"
    template = "(%(expressions)s))"

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[str | int, ...]]:
        return super().as_sql(
            compiler, connection, arg_joiner=" IN ", template="(%(expressions)s)", **extra
        )


def _with_self(person: Membership) -> RawSQL:
    sub = subtree_ids(person)
    tail = " SELECT id FROM subtree"
    assert sub.sql.endswith(tail)  # orgs.selectors' recursive CTE, then the person
    sql = f"{sub.sql} UNION SELECT %s"
    return RawSQL(sql, (*sub.params, person.pk))  # noqa: S611


def _direct_with_self(person: Membership) -> RawSQL:
    table = connection.ops.quote_name(Membership._meta.db_table)
    # Only our own quoted table name is interpolated; every value is a bound parameter.
    sql = f"SELECT id FROM {table} WHERE manager_id = %s AND organisation_id = %s UNION SELECT %s"  # noqa: S608
    return RawSQL(sql, (person.pk, person.organisation_id, person.pk))  # noqa: S611


def in_direct(field: str, person: Membership) -> Q:
    """`field` (a membership id) is the person or one of their direct reports."""
    return Q(_InLine(F(field), _direct_with_self(person)))


def in_line(field: str, person: Membership, include_self: bool = True) -> Q:
    """`field` (a membership id) is the person (if include_self) or anyone below them."""
    return Q(_InLine(F(field), _with_self(person) if include_self else subtree_ids(person)))
