"""Writes for a person's own account: profile and API tokens."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from okrcoach.core.audit import audit

from .models import ApiToken, User, hash_token

MAX_ACTIVE_TOKENS = 20


@transaction.atomic
def update_profile(
    *,
    user: User,
    full_name: str,
    title: str,
    time_zone: str,
    notification_preferences: dict[str, bool],
) -> User:
    user.full_name = full_name.strip()
    user.title = title.strip()
    user.time_zone = time_zone
    user.notification_preferences = notification_preferences
    user.full_clean(exclude=["password", "email"])
    user.save(update_fields=["full_name", "title", "time_zone", "notification_preferences"])
    return user


@transaction.atomic
def create_api_token(*, membership: object, name: str) -> tuple[ApiToken, str]:
    """A new personal token acting as this member in this organisation. Returns the secret,
    which is never stored and cannot be shown again."""
    from okrcoach.orgs.models import Membership

    assert isinstance(membership, Membership)
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
    audit(membership, "accounts.api_token.created", token)
    return token, raw


@transaction.atomic
def revoke_api_token(*, membership: object, token: ApiToken) -> None:
    from okrcoach.orgs.models import Membership

    assert isinstance(membership, Membership)
    if token.user_id != membership.user_id or token.organisation_id != membership.organisation_id:
        raise ValidationError(_("Not your token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(membership, "accounts.api_token.revoked", token)


def resolve_api_token(raw: str) -> ApiToken | None:
    """The active token for a presented secret, with its user and organisation joined."""
    if not raw.startswith(ApiToken.PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user", "organisation")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is not None:
        now = timezone.now()
        # Touch at most once a minute: a busy client should not write on every request.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
