"""Reads for the token page."""

from __future__ import annotations

from okrcoach.orgs.models import Membership

from .models import ApiToken


def tokens_of(membership: Membership) -> list[ApiToken]:
    """The member's own tokens in this organisation, newest first, revoked ones included."""
    return list(
        ApiToken.objects.filter(
            user_id=membership.user_id, organisation_id=membership.organisation_id
        ).order_by("-created_at")
    )
