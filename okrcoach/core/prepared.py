"""Querysets built and compiled once per process, then run with other ids.

Building a queryset (filters, the visibility rule, select_related) and compiling it to SQL cost
several milliseconds of Python on every view of My OKRs and a team's OKRs, ten times the query
itself (perf/LOAD_RESULTS.md). The shape of those queries never changes, only the ids in them:
`Prepared` builds the queryset once with stand-in ids, keeps the compiled SQL, where each
stand-in sits among its parameters and the compiler's description of the columns, and on every
later call sends the same SQL with the real ids and makes the rows into model instances exactly
as the queryset would (the same converters, `from_db`, select_related objects, annotations), or
into tuples for a `values_list` queryset.

Only ids may vary: an id is an int, or a list of ints for an `__in`; a list is padded to a
power-of-two length with its last id (the same `IN`), and that length is part of the key, so
a few compiled shapes serve every size. A single key may also be a string or a UUID (a public
id, a token's hash): it is sent as the ORM would send it (a UUID as its hex where the database
has no UUID type). Anything else that changes the SQL (a role that changes
the filter) must be the `shape` argument. The queryset is built twice with different stand-ins
when prepared: SQL that differs, or a parameter that changes without being a stand-in as passed
(an id turned into something else on the way), is refused.

`Prepared(..., server_side=True)` goes one step further on PostgreSQL: the SQL is prepared once
per database connection (`PREPARE`, typed from the stand-ins' parameters) and each call sends
`EXECUTE name (values)`, so PostgreSQL parses and plans it once per connection instead of on
every request (planning was most of the database's time for the list pages). The `PREPARE`
goes straight to the driver, outside Django's query log: counted queries stay one per call.
Skipped where the connection binds parameters on the server (OPTIONS server_side_binding: the
driver then prepares repeated queries itself) and for a parameter type it cannot name."""

from __future__ import annotations

import hashlib
import re
import threading
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)
Ids = int | str | uuid.UUID | Sequence[int]

# Far outside any real primary key.
_STAND_IN = -(2**46)
# Stand-ins for string and UUID keys: no real token hash or public id looks like these.
_STAND_IN_TEXT = "prepared-stand-in-5f0b0c1e-"
_STAND_IN_UUID = 0x5F0B0C1E << 96
# Compiled shapes kept per Prepared query (lengths of id lists vary with the data).
MAX_SHAPES = 512


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str, int | None], ...]  # (position in params, name, list index)
    compiler: SQLCompiler
    as_models: bool  # else tuples (values_list)
    # PostgreSQL: (statement name, its PREPARE), or None when a parameter's type has no name
    server_side: tuple[str, str] | None = None


def _is_key(value: Any) -> bool:
    """One value (not a list of ids)."""
    return isinstance(value, int | str | uuid.UUID)


def _stand_ins(values: dict[str, Ids], offset: int) -> dict[str, Ids]:
    made: dict[str, Ids] = {}
    n = offset
    for name, value in values.items():
        if isinstance(value, str):
            made[name] = f"{_STAND_IN_TEXT}{n}"
            n += 1
        elif isinstance(value, uuid.UUID):
            made[name] = uuid.UUID(int=_STAND_IN_UUID + n)
            n += 1
        elif isinstance(value, int):
            made[name] = _STAND_IN - n
            n += 1
        else:
            made[name] = [_STAND_IN - n - j for j in range(len(value))]
            n += len(value)
    return made


class Prepared(Generic[M]):
    """`Prepared(model, build)`; then `prepared(shape, org_id=1, pks=[4, 5])` returns what
    `list(build(shape, org_id=1, pks=[4, 5]))` would."""

    def __init__(
        self, model: type[M], build: Callable[..., QuerySet[Any]], *, server_side: bool = False
    ) -> None:
        self.model = model
        self.build = build
        self.server_side = server_side
        self._compiled: OrderedDict[Hashable, _Compiled] = OrderedDict()
        self._lock = threading.Lock()

    def _prepare(self, shape: Hashable, alias: str, values: dict[str, Ids]) -> _Compiled:
        stand_ins = _stand_ins(values, 0)
        where: dict[Any, tuple[str, int | None]] = {}
        for name, value in stand_ins.items():
            if isinstance(value, uuid.UUID):
                where[value] = where[value.hex] = (name, None)  # the hex: no UUID type
            elif isinstance(value, int | str):
                where[value] = (name, None)
            else:
                where.update({v: (name, j) for j, v in enumerate(value)})
        queryset = self.build(shape, **stand_ins)
        # A ModelIterable subclass's own extra work (okrs' hiding of unseen parents) is the
        # caller's to repeat on the instances.
        as_models = issubclass(queryset._iterable_class, ModelIterable)
        if not as_models and queryset._iterable_class is not ValuesListIterable:
            raise ValueError("model instances or values_list() tuples only")
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots = tuple((i, *where[p]) for i, p in enumerate(params) if _is_id(p) and p in where)
        other = self.build(shape, **_stand_ins(values, len(where) + 1000))
        other_sql, other_params = other.query.get_compiler(using=alias).as_sql()
        if other_sql != sql or len(other_params) != len(params):
            raise ValueError("the SQL depends on the ids: make the difference part of the shape")
        # Every parameter that changes with the ids must be a stand-in, as it was passed.
        changed = {i for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b}
        if changed != {i for i, _name, _index in slots} or any(str(v) in sql for v in where):
            raise ValueError(f"every id must come out as one whole parameter: {sql}")
        server_side = (
            _statement(sql, params)
            if self.server_side and connections[alias].vendor == "postgresql"
            else None
        )
        return _Compiled(sql, tuple(params), slots, compiler, as_models, server_side)

    def __call__(self, shape: Hashable = (), **given: Ids) -> list[Any]:
        alias = router.db_for_read(self.model)
        values = {name: _padded(v) for name, v in given.items()}
        lengths = tuple(
            (name, None if _is_key(v) else len(v))  # type: ignore[arg-type]
            for name, v in values.items()
        )
        key = (shape, alias, lengths)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._prepare(shape, alias, values)
            with self._lock:
                self._compiled[key] = compiled
                if len(self._compiled) > MAX_SHAPES:
                    self._compiled.popitem(last=False)
        params = list(compiled.params)
        for position, name, index in compiled.slots:
            value = values[name]
            params[position] = _bind(
                compiled.params[position],
                value if index is None else value[index],  # type: ignore[index]
            )
        connection = connections[alias]
        sql = compiled.sql
        if compiled.server_side is not None and _binds_on_client(connection):
            sql = _executed(connection, *compiled.server_side, len(params))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        compiler = compiled.compiler
        if compiler.has_extra_select:  # columns only the ordering needed, as execute_sql trims
            rows = [row[: compiler.col_count] for row in rows]
        if not compiled.as_models:
            return [tuple(row) for row in compiler.results_iter([rows])]
        return _instances(compiler, alias, rows)

    def plain(self, shape: Hashable = (), **values: Ids) -> list[Any]:
        """The same through the ORM (for values the prepared form cannot take)."""
        return list(self.build(shape, **values))


# PostgreSQL's name for each parameter type a stand-in or a fixed value may have (bool before
# int: it is one); anything else keeps the query unprepared.
_PG_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),
    (int, "bigint"),
    (str, "text"),
    (uuid.UUID, "uuid"),
    (Decimal, "numeric"),
    (float, "double precision"),
    (datetime, "timestamptz"),
    (date, "date"),
)
_PLACEHOLDER = re.compile(r"%[s%]")


def _pg_type(value: Any) -> str | None:
    return next((name for kind, name in _PG_TYPES if isinstance(value, kind)), None)


def _statement(sql: str, params: Sequence[Any]) -> tuple[str, str] | None:
    """(name, PREPARE statement) for Django's `sql` with `%s` placeholders, typed from the
    parameters it was compiled with."""
    types = [_pg_type(p) for p in params]
    if any(t is None for t in types):
        return None
    count = 0

    def number(match: re.Match[str]) -> str:
        nonlocal count
        if match.group() == "%%":
            return "%"
        count += 1
        return f"${count}"

    numbered = _PLACEHOLDER.sub(number, sql)
    if count != len(params):
        return None  # placeholders and parameters disagree: leave it to the driver
    signature = ", ".join(t for t in types if t is not None)
    name = "okrp_" + hashlib.blake2b(f"{signature}|{sql}".encode(), digest_size=10).hexdigest()
    return (
        name,
        f"PREPARE {name} ({signature}) AS {numbered}"
        if params
        else f"PREPARE {name} AS {numbered}",
    )


# The statements prepared on each driver connection (the pool hands them out again and again).
_prepared_on: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()
_prepared_lock = threading.Lock()


def _binds_on_client(connection: BaseDatabaseWrapper) -> bool:
    return not connection.settings_dict.get("OPTIONS", {}).get("server_side_binding")


def _executed(connection: BaseDatabaseWrapper, name: str, prepare: str, count: int) -> str:
    """`EXECUTE name (...)` for `count` values, preparing `name` first on this connection."""
    connection.ensure_connection()
    raw = connection.connection
    with _prepared_lock:
        done = _prepared_on.setdefault(raw, set())
    if name not in done:
        # Not transactional in PostgreSQL: a rollback later leaves it prepared, as recorded.
        with raw.cursor() as cursor:
            cursor.execute(prepare)
        done.add(name)
    if not count:
        return f"EXECUTE {name}"
    return f"EXECUTE {name} ({', '.join(['%s'] * count)})"


def _bind(stand_in: Any, value: Any) -> Any:
    """`value` as its stand-in was sent: an int, or the driver's wrapper of one (psycopg's Int8
    for a bigint column); a string; a UUID, or its hex where the database has no UUID type."""
    if isinstance(value, uuid.UUID):
        return value if isinstance(stand_in, uuid.UUID) else value.hex
    if isinstance(value, str):
        return value
    return type(stand_in)(value)


def _padded(value: Ids) -> Ids:
    """A list as long as the next power of two, its last id repeated: an `__in` means the same,
    and a handful of lengths (so of compiled shapes) serves every list size."""
    if isinstance(value, int | str | uuid.UUID) or not value:
        return value
    size = 1 << (len(value) - 1).bit_length()
    return [*value, *(value[-1] for _ in range(size - len(value)))]


def _is_id(value: Any) -> bool:
    return _is_key(value) and not isinstance(value, bool)


def _instances(compiler: SQLCompiler, alias: str, rows: list[Any]) -> list[Any]:
    """Rows → instances, as django.db.models.query.ModelIterable does after execute_sql."""
    select, klass_info, annotation_col_map = (
        compiler.select,
        compiler.klass_info,
        compiler.annotation_col_map,
    )
    assert klass_info is not None
    model_cls = klass_info["model"]
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    init_list = [f[0].target.attname for f in select[start:end]]
    # Django 5.2's signature; the stubs already name a later one's.
    related_populators = get_related_populators(klass_info, select, alias)  # type: ignore[call-arg]
    made = []
    for row in compiler.results_iter([rows]):
        obj = model_cls.from_db(alias, init_list, row[start:end])
        for populator in related_populators:
            populator.populate(row, obj)
        if annotation_col_map:
            for attr_name, col_pos in annotation_col_map.items():
                setattr(obj, attr_name, row[col_pos])
        made.append(obj)
    return made
