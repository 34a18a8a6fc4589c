"""Tenancy by construction.

Every organisation-owned model inherits `OrgOwned`: it carries the organisation, and its default
manager only hands out rows through `for_org(org)`. Code that needs every organisation (management
commands, the worker re-fetching by id) uses `all_orgs`, which a test keeps out of views and
selectors. `okrcoach/core/tests/test_tenancy_scan.py` fails on any `<Model>.objects.<x>` call on an
organisation-owned model that is not `for_org`.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Generic, Self, TypeVar

from django.db import models

if TYPE_CHECKING:
    from okrcoach.orgs.models import Organisation

M = TypeVar("M", bound=models.Model)


class TenantQuerySet(models.QuerySet[M], Generic[M]):
    def for_org(self, organisation: Organisation | int) -> Self:
        """Rows of one organisation (an Organisation or its id, to spare a lazy load)."""
        return self.filter(organisation=organisation)


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
