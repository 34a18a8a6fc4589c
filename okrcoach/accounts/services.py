"""Writes for a person's own account."""

from __future__ import annotations

from django.db import transaction

from .models import User
from .signals import password_changed


def password_was_changed(*, user: User) -> None:
    """Tell the layers above that every older credential of this person must stop working (the
    API revokes their tokens in every organisation)."""
    password_changed.send(sender=User, user=user)


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
