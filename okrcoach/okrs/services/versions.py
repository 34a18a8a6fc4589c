"""Optimistic locking for the editors: every editable row carries a `version`; a save names the
version its editor read, and loses to any save made since."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Model, QuerySet
from django.utils import timezone

from okrcoach.core.forms import EditConflict

from ..models import KeyResult, Objective


class StaleEdit(EditConflict):
    """The row changed since the editor read it: `current` holds what is stored now."""

    current: Objective | KeyResult

    def __init__(self, current: Objective | KeyResult) -> None:
        super().__init__(current)


def update_at_version(queryset: QuerySet[Any], row: Model, version: int, **columns: Any) -> bool:
    """Write `columns` and bump the version only if the stored version is still `version`. The
    conditional UPDATE is the lock: it matches no row once someone else saved."""
    updated = queryset.filter(pk=row.pk, version=version).update(
        **columns, version=F("version") + 1, updated_at=timezone.now()
    )
    return updated != 0
