from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from ninja.pagination import PaginationBase

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
