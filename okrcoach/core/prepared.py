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

PostgreSQL side (settings: server-side binding): psycopg prepares the SQL on a connection after a
few runs and PostgreSQL then usually runs one generic plan, made without the ids. A query whose
best plan depends on the tenant (a generic plan suits a small organisation and scans a large
one's rows) takes `generic_plan=False`: it is never prepared and is planned with its ids on
every run, as with client-side binding."""

from __future__ import annotations

import threading
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.db.models.signals import post_save, pre_save
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.subqueries import InsertQuery

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
        self, model: type[M], build: Callable[..., QuerySet[Any]], *, generic_plan: bool = True
    ) -> None:
        self.model = model
        self.build = build
        self.generic_plan = generic_plan
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
        return _Compiled(sql, tuple(params), slots, compiler, as_models)

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
        db = connections[alias]
        with db.cursor() as cursor:
            if self.generic_plan:
                cursor.execute(compiled.sql, params)
            else:
                with never_prepared(db):
                    cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        compiler = compiled.compiler
        if compiler.has_extra_select:  # columns only the ordering needed, as execute_sql trims
            rows = [row[: compiler.col_count] for row in rows]
        if not compiled.as_models:
            return [tuple(row) for row in _converted(compiler, alias, rows)]
        return _instances(compiler, alias, rows)

    def plain(self, shape: Hashable = (), **values: Ids) -> list[Any]:
        """The same through the ORM (for values the prepared form cannot take)."""
        return list(self.build(shape, **values))


@contextmanager
def never_prepared(db: BaseDatabaseWrapper) -> Iterator[None]:
    """Statements run inside are not prepared by psycopg (nor counted towards preparing), so
    PostgreSQL plans them with their parameters every time. A no-op without preparing (SQLite,
    client-side binding, DB_PREPARE_THRESHOLD=off)."""
    db.ensure_connection()
    raw = db.connection
    saved = getattr(raw, "prepare_threshold", None)
    if saved is None:
        yield
        return
    raw.prepare_threshold = None
    try:
        yield
    finally:
        raw.prepare_threshold = saved


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


@dataclass(frozen=True)
class _Reading:
    """What turning a compiled query's rows into values needs, worked out once per compiled
    query instead of on every run (SQLCompiler.results_iter asks for the columns' converters,
    and ModelIterable builds the select_related populators, on every call)."""

    fields: list[Any]
    converters: dict[int, Any]
    composite: bool
    init_list: list[str]
    related_populators: list[Any]


# Per compiler (each Prepared shape and alias has its own; evicted shapes free theirs).
_READINGS: weakref.WeakKeyDictionary[SQLCompiler, _Reading] = weakref.WeakKeyDictionary()


def _reading(compiler: SQLCompiler, alias: str) -> _Reading:
    found = _READINGS.get(compiler)
    if found is None:
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        klass_info = compiler.klass_info
        init_list: list[str] = []
        populators: list[Any] = []
        if klass_info is not None:
            select_fields = klass_info["select_fields"]
            start, end = select_fields[0], select_fields[-1] + 1
            init_list = [f[0].target.attname for f in compiler.select[start:end]]
            # Django 5.2's signature; the stubs already name a later one's.
            populators = get_related_populators(klass_info, compiler.select, alias)  # type: ignore[call-arg]
        found = _Reading(
            fields,
            compiler.get_converters(fields),
            compiler.has_composite_fields(fields),
            init_list,
            populators,
        )
        _READINGS[compiler] = found
    return found


def _converted(compiler: SQLCompiler, alias: str, rows: list[Any]) -> Iterable[Any]:
    """`compiler.results_iter([rows])`, with the converters worked out once."""
    reading = _reading(compiler, alias)
    converted: Iterable[Any] = rows
    if reading.converters:
        converted = compiler.apply_converters(converted, reading.converters)
    if reading.composite:
        converted = compiler.composite_fields_to_tuples(converted, reading.fields)
    return converted


def _instances(compiler: SQLCompiler, alias: str, rows: list[Any]) -> list[Any]:
    """Rows → instances, as django.db.models.query.ModelIterable does after execute_sql."""
    klass_info, annotation_col_map = compiler.klass_info, compiler.annotation_col_map
    assert klass_info is not None
    model_cls = klass_info["model"]
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    reading = _reading(compiler, alias)
    init_list, related_populators = reading.init_list, reading.related_populators
    made = []
    for row in _converted(compiler, alias, rows):
        obj = model_cls.from_db(alias, init_list, row[start:end])
        for populator in related_populators:
            populator.populate(row, obj)
        if annotation_col_map:
            for attr_name, col_pos in annotation_col_map.items():
                setattr(obj, attr_name, row[col_pos])
        made.append(obj)
    return made


# (position in params, name, sent as hex text)
Slots = tuple[tuple[int, str, bool], ...]
# A UUID no row will ever have (its "version" nibble is 0, which uuid4 never makes).
_UUID_STAND_IN = UUID(int=(1 << 128) - 1 - (0xF << 76))


class PreparedLookup(Generic[M]):
    """One row looked up by a UUID (a `public_id` from the URL) and ints (the organisation,
    the actor): `PreparedLookup(model, build)`, then `lookup(shape, public_id=u, org_id=1)`
    returns what `list(build(shape, public_id=u, org_id=1))` would, model instances with
    select_related objects and annotations, or tuples for `values_list`. The same rule as
    `Prepared`: only these values may vary, anything else that changes the SQL is the shape;
    a UUID is sent as the compiled query sent its stand-in (a UUID on PostgreSQL, hex text on
    SQLite)."""

    def __init__(self, model: type[M], build: Callable[..., QuerySet[Any]]) -> None:
        self.model = model
        self.build = build
        self._compiled: dict[Hashable, tuple[_Compiled, Slots]] = {}
        self._lock = threading.Lock()

    def _stand_ins(self, values: dict[str, UUID | int], offset: int) -> dict[str, UUID | int]:
        made: dict[str, UUID | int] = {}
        for n, (name, value) in enumerate(values.items()):
            if isinstance(value, UUID):
                made[name] = UUID(int=_UUID_STAND_IN.int - offset - n)
            else:
                made[name] = _STAND_IN - offset - n
        return made

    def _prepare(
        self, shape: Hashable, alias: str, values: dict[str, UUID | int]
    ) -> tuple[_Compiled, Slots]:
        built: list[tuple[str, tuple[Any, ...], Slots, SQLCompiler, QuerySet[Any]]] = []
        for offset in (0, 1000):
            stand_ins = self._stand_ins(values, offset)
            queryset = self.build(shape, **stand_ins)
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            found: list[tuple[int, str, bool]] = []
            for i, p in enumerate(params):
                for name, v in stand_ins.items():
                    if isinstance(v, UUID) and p in (v, v.hex):
                        found.append((i, name, isinstance(p, str)))
                    elif _is_id(p) and p == v:
                        found.append((i, name, False))
            built.append((sql, tuple(params), tuple(found), compiler, queryset))
        (sql, params, slots, compiler, queryset) = built[0]
        other_sql, other_params, other_slots = built[1][:3]
        as_models = issubclass(queryset._iterable_class, ModelIterable)
        if not as_models and queryset._iterable_class is not ValuesListIterable:
            raise ValueError("model instances or values_list() tuples only")
        changed = {i for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b}
        if (
            other_sql != sql
            or slots != other_slots
            or changed != {i for i, _name, _hex in slots}
            or {name for _i, name, _hex in slots} != set(values)
        ):
            raise ValueError(f"every value must come out as one whole parameter: {sql}")
        return _Compiled(sql, params, (), compiler, as_models), slots

    def __call__(self, shape: Hashable = (), **values: UUID | int) -> list[Any]:
        alias = router.db_for_read(self.model)
        key = (shape, alias, tuple(values))
        found = self._compiled.get(key)
        if found is None:
            found = self._prepare(shape, alias, values)
            with self._lock:
                self._compiled[key] = found
        compiled, slots = found
        params = list(compiled.params)
        for position, name, as_hex in slots:
            value = values[name]
            if isinstance(value, UUID):
                params[position] = value.hex if as_hex else value
            else:
                params[position] = type(compiled.params[position])(value)
        with connections[alias].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        compiler = compiled.compiler
        if compiler.has_extra_select:
            rows = [row[: compiler.col_count] for row in rows]
        if not compiled.as_models:
            return [tuple(row) for row in _converted(compiler, alias, rows)]
        return _instances(compiler, alias, rows)


@dataclass(frozen=True)
class _CompiledInsert:
    sql: str
    fields: tuple[Any, ...]  # the columns' fields, in the order of the SQL's parameters
    own_key: bool  # the instance brings its primary key (a default), else the database makes it
    returning: tuple[Any, ...]  # the fields the INSERT returns (model._meta.db_returning_fields)
    compiler: SQLCompiler
    converters: dict[int, Any]  # the compiler's, for the returned columns


_INSERTS: dict[tuple[type[Model], str], _CompiledInsert | None] = {}


def insert(obj: M) -> M:
    """`obj.save()` for a new row (an audit event, a check-in, a feed line, a task's row) with
    its INSERT compiled once per process: the same columns, values (each field's `pre_save`
    and `get_db_prep_save`), returned columns and `pre_save`/`post_save` signals as `save()`,
    without building and compiling the query on every call (about 0.4 ms of a single-row
    insert's 0.55 on the load benchmark's machine: perf/LOAD_RESULTS.md, session 24). A model
    with parents, a row that may already exist or a value that is a query expression (a
    database default) goes to `save()` itself. Model.save() overrides are not run: use it for
    rows whose save() adds nothing but the append-only guard, which this keeps (new rows
    only). Inside `inserts_together` the row is written at the end of that block."""
    model = type(obj)
    alias = router.db_for_write(model, instance=obj)
    key = (model, alias)
    if key not in _INSERTS:
        _INSERTS[key] = _compile_insert(model, alias)
    compiled = _INSERTS[key]
    if (
        compiled is None
        or not obj._state.adding
        or (obj.pk is not None) != compiled.own_key
        or any(hasattr(getattr(obj, f.attname), "resolve_expression") for f in compiled.fields)
    ):
        obj.save(using=alias)
        return obj
    pre_save.send(sender=model, instance=obj, raw=False, using=alias, update_fields=None)
    obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
    connection = connections[alias]
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in compiled.fields]
    held = _held.rows.get(alias)
    if held is not None:
        held.append((obj, compiled, params))
        return obj
    with transaction.mark_for_rollback_on_error(using=alias), connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        row = cursor.fetchone() if compiled.returning else ()
    _inserted(obj, compiled, alias, row)
    return obj


def _inserted(obj: Model, compiled: _CompiledInsert, alias: str, row: Sequence[Any]) -> None:
    """What save() does once the row is in: the returned columns, the state, post_save."""
    rows = [row]
    if row and compiled.converters:
        rows = list(compiled.compiler.apply_converters(rows, compiled.converters))
    for value, field in zip(rows[0], compiled.returning, strict=True):
        setattr(obj, field.attname, value)
    obj._state.db = alias
    obj._state.adding = False
    post_save.send(
        sender=type(obj), instance=obj, created=True, update_fields=None, raw=False, using=alias
    )


class _Held(threading.local):
    def __init__(self) -> None:
        # alias -> the rows insert() holds back: (instance, its INSERT, its parameters)
        self.rows: dict[str, list[tuple[Model, _CompiledInsert, list[Any]]]] = {}
        # alias -> the models whose updates `hold_update` holds back, and those updates
        self.update_models: dict[str, tuple[type[Model], ...]] = {}
        self.updates: dict[str, list[tuple[str, list[Any]]]] = {}


_held = _Held()
_TOGETHER: dict[tuple[str, ...], str] = {}


def holds_updates_of(model: type[Model], alias: str) -> bool:
    """Inside `inserts_together(updates_of=(model, ...))` on `alias`: its UPDATEs wait."""
    return model in _held.update_models.get(alias, ())


def hold_update(alias: str, sql: str, params: list[Any]) -> None:
    """Keep this UPDATE (no RETURNING; a model `holds_updates_of` says is held) for the
    enclosing block's statement."""
    _held.updates[alias].append((sql, params))


@contextmanager
def inserts_together(
    using: str = "default", *, updates_of: tuple[type[Model], ...] = ()
) -> Iterator[None]:
    """The new rows `insert` is given inside the block are written when it ends, in one
    statement: on PostgreSQL a WITH of their INSERTs, each returning what it returns alone
    (the statement's SQL is built once per sequence of INSERTs, so psycopg prepares it). A
    check-in's audit row, feed line, task row and the check-in itself: one round trip, not
    four. Use it inside a transaction; until the block ends the rows are not in the database
    and their instances have no database-made key (nothing in the block may read them back).
    post_save is sent for each as the block ends. An exception in the block drops the held
    rows (the transaction rolls back anyway). Other databases (no INSERT in a WITH), rows
    `insert` leaves to `save()` and a nested block: written as before.

    `updates_of`: core.bulk.update_rows' UPDATEs of these models inside the block wait for
    the same statement too (the check-in's roll-up writing its objectives' progress:
    okrs/services/check_ins.py _ONE_TRANSACTION); nothing in the block may read those rows
    back either. A data-modifying WITH runs every part on one snapshot: an UPDATE held here
    must not touch a row another part of the statement writes."""
    connection = connections[using]
    if connection.vendor != "postgresql" or using in _held.rows:
        yield
        return
    rows: list[tuple[Model, _CompiledInsert, list[Any]]] = []
    updates: list[tuple[str, list[Any]]] = []
    _held.rows[using] = rows
    if updates_of:
        _held.update_models[using], _held.updates[using] = updates_of, updates
    try:
        yield
    finally:
        del _held.rows[using]
        _held.update_models.pop(using, None)
        _held.updates.pop(using, None)
    if len(rows) + len(updates) > 1:  # one statement for them all
        key = (
            *(compiled.sql for _obj, compiled, _params in rows),
            *(sql for sql, _params in updates),
        )
        sql = _TOGETHER.get(key) or _TOGETHER.setdefault(key, _together_sql(rows, updates))
        params = [p for _obj, _compiled, ps in rows for p in ps]
        params += [p for _sql, ps in updates for p in ps]
        with transaction.mark_for_rollback_on_error(using=using), connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchone()
        at = 0
        for obj, compiled, _params in rows:
            width = len(compiled.returning)
            _inserted(obj, compiled, using, found[at : at + width] if width else ())
            at += width
        return
    for sql, params in updates:  # one alone
        with transaction.mark_for_rollback_on_error(using=using), connection.cursor() as cursor:
            cursor.execute(sql, params)
    for obj, compiled, params in rows:  # one alone
        with transaction.mark_for_rollback_on_error(using=using), connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone() if compiled.returning else ()
        _inserted(obj, compiled, using, row)


def _together_sql(
    rows: Sequence[tuple[Model, _CompiledInsert, list[Any]]],
    updates: Sequence[tuple[str, list[Any]]],
) -> str:
    """WITH "i0" AS (INSERT ... RETURNING ...), "i1" AS (...), "u0" AS (UPDATE ...) SELECT
    each returned column as a one-row scalar subquery, in order (a data-modifying WITH runs
    whether read or not)."""
    parts, columns = [], []
    for i, (_obj, compiled, _params) in enumerate(rows):
        parts.append(f'"i{i}" AS ({compiled.sql})')
        for field in compiled.returning:
            columns.append(f'(SELECT "{field.column}" FROM "i{i}")')  # noqa: S608 - model's column
    parts += [f'"u{i}" AS ({sql})' for i, (sql, _params) in enumerate(updates)]
    return f"WITH {', '.join(parts)} SELECT {', '.join(columns) or '1'}"


def _compile_insert(model: type[Model], alias: str) -> _CompiledInsert | None:
    """The INSERT of one new row of `model`, returning what the database makes (an auto
    primary key), as the ORM's; None when `insert` must leave the row to `save()`."""
    meta = model._meta
    connection = connections[alias]
    own_key = meta.auto_field is None
    returning = meta.db_returning_fields
    if (
        meta.parents
        or meta.proxy
        or meta.order_with_respect_to is not None
        or (own_key and not all(f.has_default() for f in meta.pk_fields))
        or (returning and not connection.features.can_return_columns_from_insert)
    ):
        return None
    fields = tuple(
        f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field
    )
    query = InsertQuery(model)
    query.insert_values(fields, [model()], raw=False)
    compiler = query.get_compiler(using=alias)
    compiler.returning_fields = returning
    [(sql, params)] = compiler.as_sql()
    if len(params) != len(fields) or sql.count("%s") != len(fields):
        return None  # a column with a placeholder of its own: leave it to the ORM
    converters = compiler.get_converters([f.get_col(meta.db_table) for f in returning])
    return _CompiledInsert(sql, fields, own_key, tuple(returning), compiler, converters)
