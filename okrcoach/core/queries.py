"""Small query shapes shared by the apps' selectors."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_per_row(rows: QuerySet[Any], field: str) -> Coalesce:
    """How many of `rows` point at the outer query's row through `field`, 0 for none: a
    correlated COUNT per outer row that uses `field`'s index, where a join with GROUP BY over
    every selected column grows with the number of rows counted (perf/README.md)."""
    counted = (
        rows.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
