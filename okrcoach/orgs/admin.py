"""The site operator's view (Django admin, staff accounts only): the organisations on this
installation. Read-only: organisations are run from their own Admin pages."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.http import HttpRequest

from .models import Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "slug", "active_members", "created"]
    search_fields = ["name", "slug"]
    readonly_fields = ["name", "slug", "public_id"]
    fields = ["name", "slug", "public_id"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                active_members=Subquery(
                    Membership.all_orgs.filter(organisation=OuterRef("pk"), is_active=True)
                    .order_by()
                    .values("organisation")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                )
            )
        )

    @admin.display(description="active members", ordering="active_members")
    def active_members(self, obj: Organisation) -> int:
        return int(getattr(obj, "active_members", 0) or 0)

    @admin.display(description="created")
    def created(self, obj: Organisation) -> str:
        return str(getattr(obj, "created_at", "") or "")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Organisation | None = None) -> bool:
        return False
