"""Writes for a person's own account."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from okrcoach.core.mail import Email, render_templated

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


def render_password_reset(user_id: int) -> Email | None:
    """The password reset mail, with its link made now (by the worker, at send time)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    site = urlsplit(settings.SITE_URL)
    return render_templated(
        to=user.email,
        template="accounts/email/password_reset",
        context={
            "user": user,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
            "protocol": site.scheme,
            "domain": site.netloc,
        },
    )
