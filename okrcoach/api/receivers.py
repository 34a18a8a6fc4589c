"""The API's answers to events of the layers below: a password change revokes the person's
tokens everywhere; a deactivation revokes their tokens in that organisation. Revoked tokens
never come back (a reactivation or a new password needs a new token)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils import timezone

from okrcoach.accounts.models import User
from okrcoach.accounts.signals import password_changed
from okrcoach.core.audit import audit
from okrcoach.orgs.models import Membership
from okrcoach.orgs.signals import member_deactivated

from .models import ApiToken


def _revoke(tokens: list[ApiToken], reason: str, actor: Membership | None = None) -> None:
    now = timezone.now()
    ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).update(revoked_at=now)
    for token in tokens:
        audit(
            actor,
            "accounts.api_token.revoked",
            token,
            organisation=token.organisation,
            user=actor.user if actor is not None else token.user,
            data={"reason": reason},
        )


@receiver(password_changed)
def revoke_tokens_on_password_change(sender: Any, user: User, **kwargs: Any) -> None:
    tokens = list(
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).select_related(
            "organisation", "user"
        )
    )
    _revoke(tokens, "password changed")


@receiver(member_deactivated)
def revoke_tokens_on_deactivation(
    sender: Any, membership: Membership, actor: Membership, **kwargs: Any
) -> None:
    tokens = list(
        ApiToken.objects.filter(
            user_id=membership.user_id,
            organisation_id=membership.organisation_id,
            revoked_at__isnull=True,
        ).select_related("organisation", "user")
    )
    _revoke(tokens, "member deactivated", actor)
