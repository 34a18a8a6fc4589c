from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from okrcoach.core.prepared import never_prepared

MAX_PAGE = 1_000_000


class PagePagination(PaginationBase):
    """?page=N&page_size=M (at most 200). Every list in the API uses it."""

    class Input(Schema):
        # Bounded so the offset stays far inside what a database integer holds.
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int = Field(50, ge=1, le=200)

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int
        pages: int

    items_attribute: str = "items"

    def paginate_queryset(  # type: ignore[override]
        self, queryset: Any, pagination: Input, **params: Any
    ) -> Any:
        with never_prepared(connections[queryset.db]):  # see _slice
            count = queryset.count()
            start = (pagination.page - 1) * pagination.page_size
            items = list(queryset[start : start + pagination.page_size])
        pages = max(1, -(-count // pagination.page_size))
        return {
            "items": items,
            "count": count,
            "page": pagination.page,
            "page_size": pagination.page_size,
            "pages": pages,
        }


# --- keyset pages ------------------------------------------------------------------------------
#
# Counting every visible row and skipping `offset` rows both cost work in proportion to the
# organisation, on every page. A keyset page instead starts after the last row of the previous
# one (its sort key travels in an opaque cursor), so an index walk reads one page of rows
# whatever the size. The old `page`/`page_size` still answer offset pages with `count`, for
# clients written before.

# Signed, so a cursor cannot be forged into arbitrary filter values (it only ever names a row
# the reader saw; visibility is applied again on every page).
_SIGNER = signing.Signer(salt="okrcoach.api.cursor")
LEGACY = (
    "Deprecated: with `page` or `page_size` the list answers an offset page with `count` and "
    "`pages` as before, at a cost that grows with the organisation. Follow `next` instead."
)


class KeysetIn(Schema):
    limit: int = Field(50, ge=1, le=200, description="Items per page (1 to 200).")
    cursor: str | None = Field(
        None,
        max_length=300,
        description="Opaque: take it from the `next` link of the previous page, never build it.",
    )
    page: int | None = Field(None, ge=1, le=MAX_PAGE, description=LEGACY)
    page_size: int | None = Field(None, ge=1, le=200, description=LEGACY)


class KeysetOut(Schema):
    next: str | None = Field(
        description="The URL of the next page, or null on the last one. A page may hold fewer "
        "than `limit` items before the end: stop when `next` is null."
    )
    count: int | None = Field(None, description="Offset pages only (`page`/`page_size`).")
    page: int | None = Field(None, description="Offset pages only.")
    page_size: int | None = Field(None, description="Offset pages only.")
    pages: int | None = Field(None, description="Offset pages only.")


def _bad_cursor() -> ValidationError:
    return ValidationError({"cursor": "Unknown cursor: use the `next` link of a page."})


def _read_cursor(raw: str, size: int) -> list[Any]:
    try:
        values = _SIGNER.unsign_object(raw)
    except signing.BadSignature as exc:
        raise _bad_cursor() from exc
    if not isinstance(values, list) or not 1 <= len(values) <= size:
        raise _bad_cursor()
    return values


def _after(keys: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after `values` in the order of `keys` (all ascending, the last unique).
    The leading `>=` lets an index on the keys start its walk at the cursor."""
    after = Q()
    for i, key in enumerate(keys[: len(values)]):
        step = Q(**{f"{k}": v for k, v in zip(keys[:i], values[:i], strict=True)})
        after |= step & Q(**{f"{key}__gt": values[i]})
    return Q(**{f"{keys[0]}__gte": values[0]}) & after


def _key(row: Any, key: str) -> Any:
    return row[key] if isinstance(row, dict) else getattr(row, key)


def _link(request: HttpRequest, **changes: Any) -> str:
    query = request.GET.copy()
    for name, value in changes.items():
        query[name] = str(value)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _offset_page(request: HttpRequest, queryset: QuerySet[Any], paging: KeysetIn) -> dict[str, Any]:
    page, size = paging.page or 1, paging.page_size or paging.limit
    with never_prepared(connections[queryset.db]):  # see _slice
        count = queryset.count()
        start = (page - 1) * size
        items = list(queryset[start : start + size])
    pages = max(1, -(-count // size))
    return {
        "items": items,
        "next": _link(request, page=page + 1, page_size=size) if page < pages else None,
        "count": count,
        "page": page,
        "page_size": size,
        "pages": pages,
    }


def keyset_page(
    request: HttpRequest,
    queryset: QuerySet[Any],
    paging: KeysetIn,
    *,
    keys: Sequence[str],
    partitions: tuple[str, Sequence[Any]] | None = None,
    offset_order: Sequence[str] | None = None,
) -> dict[str, Any]:
    """One page of `queryset` in the order of `keys` (ascending, the last one unique; an index
    on them makes a page cost the same at any depth). With `partitions=(field, values)` the
    rows are read one value of `field` at a time, in the order given (e.g. cycles by start
    date, which no index on the rows can follow): a page then never spans two partitions.
    Offset pages (the deprecated `page`/`page_size`) sort by `offset_order`, default `keys`."""
    if paging.page is not None or paging.page_size is not None:
        return _offset_page(request, queryset.order_by(*(offset_order or keys)), paging)
    if partitions is not None:
        return _partitioned_page(request, queryset, paging, keys, *partitions)
    cursor = _read_cursor(paging.cursor, len(keys)) if paging.cursor else []
    rows = _slice(queryset, keys, cursor, paging.limit)
    return _keyset_result(request, rows, paging.limit, lambda last: [_key(last, k) for k in keys])


def _partitioned_page(
    request: HttpRequest,
    queryset: QuerySet[Any],
    paging: KeysetIn,
    keys: Sequence[str],
    field: str,
    order: Sequence[Any],
) -> dict[str, Any]:
    cursor = _read_cursor(paging.cursor, len(keys) + 1) if paging.cursor else []
    if cursor and cursor[0] not in order:
        raise _bad_cursor()
    start = order.index(cursor[0]) if cursor else 0
    for i in range(start, len(order)):
        part = order[i]
        rest = cursor[1:] if cursor and i == start else []
        rows = _slice(queryset.filter(**{field: part}), keys, rest, paging.limit)
        if len(rows) > paging.limit:
            return _keyset_result(
                request,
                rows,
                paging.limit,
                lambda last, p=part: [p, *(_key(last, k) for k in keys)],
            )
        if rows:  # the partition ends on this page: the next page starts the following one
            following = order[i + 1] if i + 1 < len(order) else None
            next_url = (
                None
                if following is None
                else _link(request, cursor=_SIGNER.sign_object([following]))
            )
            return {"items": rows, "next": next_url}
    return {"items": [], "next": None}


def _slice(
    queryset: QuerySet[Any], keys: Sequence[str], cursor: list[Any], limit: int
) -> list[Any]:
    if cursor:
        queryset = queryset.filter(_after(keys, cursor))
    # One more than a page: it tells whether a next page exists, without counting. Planned with
    # its parameters every time, never a prepared generic plan: made for an average
    # organisation, the objectives list's walked a large one's every row (71 ms instead of 0.6 at
    # 10,000 people among 500 organisations; perf/PREPARED_STATEMENTS.md).
    with never_prepared(connections[queryset.db]):
        return list(queryset.order_by(*keys)[: limit + 1])


def _keyset_result(
    request: HttpRequest, rows: list[Any], limit: int, cursor_of: Any
) -> dict[str, Any]:
    if len(rows) <= limit:
        return {"items": rows, "next": None}
    items = rows[:limit]
    raw = _SIGNER.sign_object(cursor_of(items[-1]))
    return {"items": items, "next": _link(request, cursor=raw)}
