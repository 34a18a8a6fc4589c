from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from okrcoach.core.mail import queue_email

PASSWORD_RESET_EMAIL = "accounts.password_reset"  # noqa: S105 (a mail kind, not a secret)

NOTIFICATION_CHOICES = [
    ("weekly_digest", _("Weekly digest of what I owe and what changed")),
    ("check_in_reminders", _("Reminders when a check-in is due")),
    ("mentions", _("Emails when someone mentions me or replies to me")),
    ("activity", _("Emails about comments, check-ins, risks and grades on what I own or follow")),
    ("retrospectives", _("Reminders to grade and write the retrospective at the end of a cycle")),
    ("academy", _("Emails about academy courses assigned to me, due soon or overdue")),
]


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "That email and password do not match an account. Check both and try again."
        ),
        "inactive": _("This account is inactive."),
    }


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset mail goes through the task queue by id: the link is made when the worker
    sends the mail (okrcoach.accounts.services.render_password_reset), so the queue never holds
    it. Accounts made by a people import (no password yet) can reset too: that is how they
    choose their first password."""

    def get_users(self, email: str) -> Iterator[Any]:
        model = get_user_model()
        for user in model._default_manager.filter(email__iexact=email, is_active=True):
            if user.email.casefold() == email.casefold():
                yield user

    def save(self, *args: Any, **kwargs: Any) -> None:
        email = self.cleaned_data["email"]
        ids = [user.pk for user in self.get_users(email)]
        queue_email(kind=PASSWORD_RESET_EMAIL, object_ids=ids)


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    notifications = forms.MultipleChoiceField(
        label=_("Email me about"),
        choices=NOTIFICATION_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Your inbox shows every notification; these switches decide what is emailed."),
    )
