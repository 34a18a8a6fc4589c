"""Write audit events. Call inside the service's transaction, so the record and the change
commit or roll back together."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import models

from .models import AuditEvent
from .prepared import insert

if TYPE_CHECKING:
    from okrcoach.accounts.models import User
    from okrcoach.orgs.models import Membership, Organisation


def audit(
    actor: Membership | None,
    action: str,
    target: models.Model | None = None,
    *,
    organisation: Organisation | None = None,
    user: User | None = None,
    data: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    org = organisation or (actor.organisation if actor is not None else None)
    acting_user = user or (actor.user if actor is not None else None)
    target_id = ""
    if target is not None:
        target_id = str(getattr(target, "public_id", None) or target.pk)
    # One row through the INSERT compiled once per process: most services write one.
    return insert(
        AuditEvent(
            organisation=org,
            actor_user=acting_user,
            actor_label=acting_user.email if acting_user is not None else "",
            action=action,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=target_id,
            target_label=str(target)[:300] if target is not None else "",
            data=data or {},
            ip_address=ip_address,
        )
    )


def audit_many(
    actor: Membership, action: str, targets: Sequence[models.Model], *, batch_size: int = 500
) -> None:
    """One `action` row per target, inserted in bulk (an import of thousands of rows)."""
    user = actor.user
    AuditEvent.all_orgs.bulk_create(
        [
            AuditEvent(
                organisation=actor.organisation,
                actor_user=user,
                actor_label=user.email,
                action=action,
                target_type=target._meta.label_lower,
                target_id=str(getattr(target, "public_id", None) or target.pk),
                target_label=str(target)[:300],
                data={},
            )
            for target in targets
        ],
        batch_size=batch_size,
    )
