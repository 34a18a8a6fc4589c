"""A list page's JSON built straight from plain rows, the bytes django-ninja would send.

Validating fifty rows through the response schema (one pydantic model and a getter object per
row, a resolver call per field) was most of an API list's work (perf/LOAD_RESULTS.md). A list
whose rows are already plain `values()` dicts of the right columns needs none of it: `RowWriter`
reads the schema once (which key each field comes from, which resolver, which fields are
floats) and then turns each row into the dict ninja would have dumped, in the schema's field
order. The schema stays the view's `response=`, so the OpenAPI document does not change; the
tests compare this output with ninja's own for the same rows."""

from __future__ import annotations

import json
import types
from collections.abc import Callable, Mapping
from datetime import date, datetime
from operator import itemgetter
from typing import Any, Union, get_args, get_origin
from uuid import UUID

from django.http import HttpResponse
from ninja import Schema
from ninja.responses import NinjaJSONEncoder

CONTENT_TYPE = "application/json; charset=utf-8"  # as NinjaAPI.get_content_type()


def _plain(value: Any) -> Any:
    """What the JSON encoder would make of a value, done here so it never calls `default`."""
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()  # as DjangoJSONEncoder; a datetime is left to the encoder
    return value


def _is_float(annotation: Any) -> bool:
    if annotation is float:
        return True
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args == [float]
    return False


# Annotations whose values the encoder writes as they are: `_plain` would return them unchanged.
_AS_THEY_ARE = {str, int, bool, float, str | None, int | None, bool | None, float | None}


def _as_they_are(annotation: Any) -> bool:
    try:
        return annotation in _AS_THEY_ARE
    except TypeError:  # an unhashable annotation
        return False


class RowWriter:
    """Turns a `values()` row into `schema`'s dump: the field's alias (or name) is the row's
    key unless the schema has a `resolve_<field>` static method, which is called with the row."""

    def __init__(self, schema: type[Schema]) -> None:
        self.schema = schema
        self.fields: list[tuple[str, Callable[[Mapping[str, Any]], Any]]] = []
        for name, info in schema.model_fields.items():
            resolver = getattr(schema, f"resolve_{name}", None)
            key = info.alias or name
            if resolver is not None:
                read: Callable[[Mapping[str, Any]], Any] = resolver
            else:
                read = _item(key)
            if _is_float(info.annotation):
                read = _as_float(read)
            elif resolver is not None or not _as_they_are(info.annotation):
                read = _plained(read)
            self.fields.append((name, read))

    def row(self, row: Mapping[str, Any]) -> dict[str, Any]:
        # `_plain` only where a UUID or a date may come (a schema's str, int, bool or float
        # field holds one of those): the same bytes, without a call per field of every row.
        return {name: read(row) for name, read in self.fields}


def _plained(read: Callable[[Mapping[str, Any]], Any]) -> Callable[[Mapping[str, Any]], Any]:
    return lambda row: _plain(read(row))


def _item(key: str) -> Callable[[Mapping[str, Any]], Any]:
    return itemgetter(key)


def _as_float(read: Callable[[Mapping[str, Any]], Any]) -> Callable[[Mapping[str, Any]], Any]:
    def convert(row: Mapping[str, Any]) -> Any:
        value = read(row)
        return None if value is None else float(value)

    return convert


def page_response(
    page_schema: type[Schema], writer: RowWriter, page: Mapping[str, Any]
) -> HttpResponse:
    """A page dict (`items` of plain rows and the page's other fields) as ninja would answer
    it for `page_schema` (a KeysetOut or PagePagination output with an `items` list)."""
    body: dict[str, Any] = {}
    for name, info in page_schema.model_fields.items():
        if name == "items":
            body[name] = [writer.row(r) for r in page["items"]]
        else:
            body[name] = _plain(page.get(name, info.default))
    return HttpResponse(json.dumps(body, cls=NinjaJSONEncoder), content_type=CONTENT_TYPE)
