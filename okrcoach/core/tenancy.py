"""Tenancy by construction.

Every organisation-owned model inherits `OrgOwned`: it carries the organisation, and its default
manager only hands out rows through `for_org(org)`. Code that needs every organisation (management
commands, the worker re-fetching by id) uses `all_orgs`, which a test keeps out of views and
selectors. `okrcoach/core/tests/test_tenancy_scan.py` fails on any `<Model>.objects.<x>` call on an
organisation-owned model that is not `for_org`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from django.db import models

if TYPE_CHECKING:
    from okrcoach.orgs.models import Organisation

M = TypeVar("M", bound=models.Model)

# Called with the organisation ids whose rows a bulk write changed (core/cache.py listens):
# QuerySet.update, bulk_create and bulk_update send no model signals, so without this a cache
# versioned per organisation would miss them.
bulk_write_listeners: list[Callable[[set[int]], None]] = []


def _bulk_written(org_ids: set[int]) -> None:
    if org_ids:
        for listener in bulk_write_listeners:
            listener(org_ids)


def _org_ids(objs: Iterable[Any]) -> set[int]:
    return {o.organisation_id for o in objs if getattr(o, "organisation_id", None) is not None}


class TenantQuerySet(models.QuerySet[M], Generic[M]):
    _tenant_org_id: int | None = None

    def for_org(self, organisation: Organisation | int) -> Self:
        """Rows of one organisation (an Organisation or its id, to spare a lazy load)."""
        qs = self.filter(organisation=organisation)
        qs._tenant_org_id = organisation if isinstance(organisation, int) else organisation.pk
        return qs

    def _clone(self) -> Self:
        clone = super()._clone()  # type: ignore[misc]
        clone._tenant_org_id = self._tenant_org_id
        return clone  # type: ignore[no-any-return]

    def update(self, **kwargs: Any) -> int:
        count = super().update(**kwargs)
        if count and self._tenant_org_id is not None:
            _bulk_written({self._tenant_org_id})
        return count

    def bulk_create(self, objs: Iterable[M], *args: Any, **kwargs: Any) -> list[M]:
        created = super().bulk_create(objs, *args, **kwargs)
        _bulk_written(_org_ids(created))
        return created

    def bulk_update(self, objs: Iterable[M], *args: Any, **kwargs: Any) -> int:
        objs = list(objs)
        count = super().bulk_update(objs, *args, **kwargs)
        _bulk_written(_org_ids(objs))
        return count


class TenantManager(models.Manager[M]):
    """The default manager of an organisation-owned model: start every query with for_org()."""

    _queryset_class = TenantQuerySet

    def get_queryset(self) -> TenantQuerySet[M]:
        return self._queryset_class(self.model, using=self._db)

    def for_org(self, organisation: Organisation | int) -> TenantQuerySet[M]:
        return self.get_queryset().for_org(organisation)


class OrgOwned(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    objects = TenantManager()
    all_orgs = models.Manager()  # noqa: DJ012 (ruff takes the typed manager above for a field)

    class Meta:
        abstract = True
        base_manager_name = "all_orgs"
        default_manager_name = "objects"
