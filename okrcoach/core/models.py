from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .tenancy import TenantManager, TenantQuerySet


class AuditEventQuerySet(TenantQuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")


# How the audit log names each app's area (the first part of an action code).
AUDIT_AREAS = {
    "accounts": "Account",
    "orgs": "Organisation",
    "okrs": "OKRs",
    "academy": "Academy",
    "api": "API",
}


class AuditEvent(models.Model):
    """Append-only record of who did what to which object, in which organisation.

    Rows are written by services inside the transaction of the change they describe.
    The organisation is null only for events that belong to no organisation (a failed sign-in for
    an unknown email)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", null=True, on_delete=models.CASCADE, related_name="+"
    )
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=100)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager.from_queryset(AuditEventQuerySet)()
    all_orgs = models.Manager.from_queryset(AuditEventQuerySet)()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="audit_org_created"),
            models.Index(fields=["organisation", "action", "-created_at"], name="audit_org_action"),
        ]
        verbose_name = _("audit event")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")

    @property
    def action_label(self) -> str:
        """The action in words for the audit log page: "academy.assignment.created" reads
        "Academy: assignment created" (the code stays in the data and the filter)."""
        area, _dot, rest = self.action.partition(".")
        words = rest.replace(".", " ").replace("_", " ").strip()
        area_name = AUDIT_AREAS.get(area, area.replace("_", " ").capitalize())
        return f"{area_name}: {words}" if words else area_name
