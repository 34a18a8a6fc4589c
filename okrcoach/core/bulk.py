"""Set-based updates: many rows of one organisation, each with its own values, in one
`UPDATE ... FROM` statement per batch: on PostgreSQL from `unnest` of one array per column (as
Django's own bulk inserts do), on SQLite (3.33+) from a VALUES list (it names the columns
column1, column2 ... as the unnest's alias does). Django's bulk_update writes a CASE WHEN per
column listing every row, which PostgreSQL plans and evaluates row by row: for 500 key results
and 8 columns that was most of a bulk check-in's time.

`update_rows` and `insert_rows` take plain tuples, for callers that never build the model
instances (a bulk check-in reads its key results as tuples and writes its check-ins from them);
`insert_rows` is Django's bulk insert without the instances, their per-field preparation and the
RETURNING of new primary keys nobody reads."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

from django.db import connections, router
from django.db.models import BooleanField, Field, Model, Q
from django.db.models.expressions import RawSQL

from . import tenancy
from .prepared import hold_update, holds_updates_of

BATCH = 500

# Field types whose values psycopg adapts as Django would prepare them, when they are exactly of
# this Python type (a subclass or a string still goes through the field).
_PLAIN: dict[str, type] = {
    "DecimalField": Decimal,
    "BooleanField": bool,
    "DateField": date,
    "IntegerField": int,
    "BigIntegerField": int,
    "SmallIntegerField": int,
    "PositiveIntegerField": int,
    "PositiveSmallIntegerField": int,
    "PositiveBigIntegerField": int,
    "DateTimeField": datetime,
    "UUIDField": UUID,
    "TextField": str,
    "CharField": str,
    "ForeignKey": int,
}


def _preparer(connection: Any, columns: Sequence[Field[Any, Any]]) -> Any:
    """prepare(index, value): the value as the column's field would send it to the database. A
    value already of its column's Python type needs no preparation for psycopg (Django's would
    only convert it to itself, at a few microseconds a value: thousands of them a batch). On
    PostgreSQL a JSON column's value becomes its JSON text, as Django's adapter would write it
    (json.dumps with the field's encoder), so that it can travel inside an array literal."""
    postgres = connection.vendor == "postgresql"
    plain = [_PLAIN.get(f.get_internal_type()) if postgres else None for f in columns]
    encoders = {
        i: getattr(f, "encoder", None)
        for i, f in enumerate(columns)
        if postgres and f.get_internal_type() == "JSONField"
    }

    def prepare(i: int, value: Any) -> Any:
        kind = plain[i]
        if value is None or (kind is not None and type(value) is kind):
            return value
        if i in encoders:
            return json.dumps(value, cls=encoders[i])
        return columns[i].get_db_prep_save(value, connection)

    return prepare


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# How each Python type is written as an element of a PostgreSQL array literal.
_ELEMENT: dict[type, Callable[[Any], str]] = {
    int: str,
    Decimal: str,
    bool: lambda b: "t" if b else "f",
    UUID: str,
    date: date.isoformat,
    datetime: lambda d: _quoted(d.isoformat()),
    str: _quoted,
}


def array_literal(values: Sequence[Any]) -> Any:
    """One column's values as the text of a PostgreSQL array literal ('{1,NULL,"a b"}'), cast
    to the column's type by the statement. Django's psycopg cursors bind parameters on the
    client, where a list is dumped and quoted element by element in Python: for a batch's
    dozen columns of 500 values, the largest part of writing it. The values as they are (a
    list) when one is of a type not listed."""
    parts = []
    for value in values:
        if value is None:
            parts.append("NULL")
            continue
        write = _ELEMENT.get(type(value))
        if write is None:
            return list(values)
        parts.append(write(value))
    return "{" + ",".join(parts) + "}"


def among(model: type[Model], field_name: str, values: Sequence[Any]) -> Any:
    """A filter for `field_name IN values` on `model`'s own table (not through a join): on
    PostgreSQL one parameter, `= ANY(<array literal>)`, where `__in` makes Django prepare and
    psycopg parse and quote one placeholder per value (a batch names 250 to 600 ids, several
    times); elsewhere the `__in` lookup."""
    connection = connections[router.db_for_read(model)]
    if connection.vendor != "postgresql":
        return Q(**{f"{field_name}__in": list(values)})
    field = cast(Field[Any, Any], model._meta.get_field(field_name))
    quote = connection.ops.quote_name
    column = f"{quote(model._meta.db_table)}.{quote(str(field.column))}"
    return RawSQL(  # noqa: S611 - the column and its type come from the model
        f"{column} = ANY(%s::{field.db_type(connection)}[])",
        [array_literal(list(values))],
        output_field=BooleanField(),
    )


def update_from_values(
    model: type[Model], organisation_id: int, objs: Sequence[Model], fields: Sequence[str]
) -> int:
    """Write `fields` of every obj (rows of one organisation) in one statement per BATCH rows.
    Raises the organisation's cache version like any bulk write through `for_org`."""
    meta = model._meta
    attnames = [meta.get_field(name).attname for name in fields]  # type: ignore[union-attr]
    rows = [(obj.pk, *(getattr(obj, a) for a in attnames)) for obj in objs]
    return update_rows(model, organisation_id, fields, rows)


def update_rows(
    model: type[Model], organisation_id: int, fields: Sequence[str], rows: Sequence[Sequence[Any]]
) -> int:
    """`update_from_values` for rows given as tuples: (primary key, *values of `fields`)."""
    if not rows:
        return 0
    alias = router.db_for_write(model)
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta
    columns = [cast(Field[Any, Any], meta.get_field(name)) for name in fields]
    pk_column = str(meta.pk.column) if meta.pk is not None else "id"
    postgres = connection.vendor == "postgresql"
    table = quote(meta.db_table)
    assignments = ", ".join(
        f"{quote(str(f.column))} = v.column{i + 2}" for i, f in enumerate(columns)
    )
    where = (
        f"WHERE {table}.{quote(str(pk_column))} = v.column1 "
        f"AND {table}.{quote('organisation_id')} = %s"
    )
    if not postgres:
        row_sql = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    else:
        # One array per column, unnested into rows: a short statement with a dozen parameters
        # whatever the batch, so neither the driver (which parses every placeholder of a
        # statement too long for its cache) nor PostgreSQL's planner works per row.
        types = [str(meta.pk.db_type(connection)) if meta.pk else "bigint"]
        types += [str(f.db_type(connection)) for f in columns]
        names = ", ".join(f"column{i + 1}" for i in range(len(types)))
        arrays = ", ".join(f"%s::{t}[]" for t in types)
        source = f"unnest({arrays}) AS v({names})"
    prepare = _preparer(connection, columns)
    width = range(len(columns))

    if postgres and len(rows) <= BATCH and holds_updates_of(model, alias):
        # Written with the rows of the enclosing inserts_together (core.prepared), in its one
        # statement at the block's end; the caller has the rows locked. Counted as given.
        held = [
            array_literal(c)
            for c in zip(
                *([row[0], *(prepare(i, row[i + 1]) for i in width)] for row in rows), strict=True
            )
        ]
        hold_update(
            alias,
            f"UPDATE {table} SET {assignments} FROM {source} {where}",  # noqa: S608 - names from the model
            [*held, organisation_id],
        )
        tenancy._bulk_written({organisation_id})
        return len(rows)
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            prepared = [[row[0], *(prepare(i, row[i + 1]) for i in width)] for row in batch]
            if postgres:
                params: list[Any] = [array_literal(c) for c in zip(*prepared, strict=True)]
            else:
                source = f"(VALUES {', '.join([row_sql] * len(batch))}) AS v"
                params = [value for row in prepared for value in row]
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM {source} {where}",  # noqa: S608 - names from the model
                [*params, organisation_id],
            )
            updated += cursor.rowcount
    tenancy._bulk_written({organisation_id})
    return updated


def insert_rows(
    model: type[Model], organisation_id: int, fields: Sequence[str], rows: Sequence[Sequence[Any]]
) -> int:
    """Insert rows of one organisation, each a tuple of the values of `fields` (which include
    "organisation"), in one statement per BATCH rows on PostgreSQL (from `unnest`, as Django's
    own bulk_create there) or per batch that fits SQLite's 999 parameters. Columns left out take
    NULL, so give every column without a default. Returns how many rows were written; raises
    the organisation's cache version like bulk_create."""
    if not rows:
        return 0
    alias = router.db_for_write(model)
    connection = connections[alias]
    quote = connection.ops.quote_name
    columns = [cast(Field[Any, Any], model._meta.get_field(name)) for name in fields]
    postgres = connection.vendor == "postgresql"
    table = quote(model._meta.db_table)
    names = ", ".join(quote(str(f.column)) for f in columns)
    if postgres:
        arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in columns)
        source = f"SELECT * FROM unnest({arrays})"  # noqa: S608 - types from the model
        size = BATCH
    else:
        row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
        size = max(1, 999 // len(columns))
    prepare = _preparer(connection, columns)
    width = range(len(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = [[prepare(i, row[i]) for i in width] for row in rows[start : start + size]]
            if postgres:
                params: list[Any] = [array_literal(c) for c in zip(*batch, strict=True)]
            else:
                source = f"VALUES {', '.join([row_sql] * len(batch))}"
                params = [value for row in batch for value in row]
            cursor.execute(f"INSERT INTO {table} ({names}) {source}", params)
    tenancy._bulk_written({organisation_id})
    return len(rows)
