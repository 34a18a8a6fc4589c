"""Writes for personal API tokens: create and revoke; and the lookup the bearer auth uses."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from okrcoach.core.audit import audit
from okrcoach.core.prepared import Prepared
from okrcoach.core.tokens import hash_token
from okrcoach.orgs.models import Membership

from .models import ApiToken

MAX_ACTIVE_TOKENS = 20


@transaction.atomic
def create_api_token(*, membership: Membership, name: str) -> tuple[ApiToken, str]:
    """A new personal token acting as this member in this organisation. Returns the secret,
    which is never stored and cannot be shown again."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Name the token after where you will use it.")})
    if len(name) > 100:
        raise ValidationError({"name": _("At most 100 characters.")})
    active = ApiToken.objects.filter(
        user=membership.user, organisation=membership.organisation, revoked_at__isnull=True
    ).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError({"name": _("Revoke an old token first (at most 20 active).")})
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        user=membership.user,
        organisation=membership.organisation,
        name=name,
        token_prefix=raw[:10],
        token_hash=hash_token(raw),
    )
    # The action names predate the move from accounts; kept so the audit history reads as one.
    audit(membership, "accounts.api_token.created", token)
    return token, raw


@transaction.atomic
def revoke_api_token(*, membership: Membership, token: ApiToken) -> None:
    if token.user_id != membership.user_id or token.organisation_id != membership.organisation_id:
        raise ValidationError(_("Not your token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(membership, "accounts.api_token.revoked", token)


def _token_membership(_shape: object, *, token_hash: str) -> Any:
    return (
        Membership.all_orgs.select_related("organisation", "user", "team")
        .filter(
            is_active=True,
            user__is_active=True,
            user__api_tokens__token_hash=token_hash,
            user__api_tokens__revoked_at__isnull=True,
            user__api_tokens__organisation_id=F("organisation_id"),
        )
        .annotate(
            api_token_pk=F("user__api_tokens__id"),
            api_token_used_at=F("user__api_tokens__last_used_at"),
        )
        .order_by()[:1]
    )


# Compiled once per process (core/prepared.py): building and compiling the lookup was a fifth
# of an API list request's Python, more than running it.
TOKEN_MEMBERSHIP = Prepared(Membership, _token_membership)


def resolve_api_token(raw: str) -> tuple[Membership, int] | None:
    """The member a presented secret acts as, with organisation, user and team joined, and the
    token's id; None for an unknown or revoked token or an inactive member or user.

    One indexed query on every request, deliberately not cached across requests: a revocation
    (of the token, the membership or the user) takes effect on the next request without an
    invalidation path for each of them. The query is by the unique token hash and primary
    keys, so its cost does not grow with the organisation."""
    if not raw.startswith(ApiToken.PREFIX) or len(raw) > 100:
        return None
    found = TOKEN_MEMBERSHIP(token_hash=hash_token(raw))
    if not found:
        return None
    membership = found[0]
    token_id: int = membership.api_token_pk
    used_at = membership.api_token_used_at
    now = timezone.now()
    # Touch at most once a minute: a busy client should not write on every request.
    if used_at is None or (now - used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return membership, token_id
