from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from okrcoach.core.tasks import send_email

NOTIFICATION_CHOICES = [
    ("weekly_digest", _("Weekly digest of what I owe and what changed")),
    ("check_in_reminders", _("Reminders when a check-in is due")),
    ("mentions", _("Emails when someone mentions me or replies to me")),
    ("activity", _("Emails about comments, check-ins, risks and grades on what I own or follow")),
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
    """Password reset mail goes through the task queue, like every other mail."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from django.template.loader import render_to_string

        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        send_email.enqueue(to=[to_email], subject=subject, text=body)


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
