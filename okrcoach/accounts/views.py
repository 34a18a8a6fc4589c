from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from okrcoach.core import throttle
from okrcoach.core.forms import Saved, submit
from okrcoach.core.http import OrgRequest

from . import services
from .forms import (
    NOTIFICATION_CHOICES,
    EmailAuthenticationForm,
    ProfileForm,
    QueuedPasswordResetForm,
)


def _too_many(request: HttpRequest, retry_after: int, message: str) -> HttpResponse:
    response = render(request, "accounts/throttled.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class LoginView(auth_views.LoginView):
    """Besides django-axes (which locks one account from one address), failed sign-ins are
    counted per client address across every account: credential stuffing from one address
    stops there, and nobody elsewhere can lock a person out."""

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def _limit(self) -> tuple[str, str, int, int]:
        return (
            "login-failures",
            throttle.client_ip(self.request),
            settings.THROTTLE_LOGIN_FAILURES_PER_ADDRESS,
            settings.THROTTLE_LOGIN_WINDOW,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        verdict = throttle.peek(*self._limit())
        if not verdict.allowed:
            return _too_many(
                request,
                verdict.retry_after,
                _("Too many failed sign-ins from your network. Try again later."),
            )
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        throttle.take(*self._limit())
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    """Reset emails are limited per client address (429 past it) and per account (past it the
    page answers as usual and sends nothing, so it reveals no account)."""

    template_name = "accounts/password_reset.html"
    form_class = QueuedPasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        window = settings.THROTTLE_EMAIL_WINDOW
        verdict = throttle.take(
            "reset-address",
            throttle.client_ip(self.request),
            settings.THROTTLE_EMAILS_PER_ADDRESS,
            window,
        )
        if not verdict.allowed:
            return _too_many(
                self.request,
                verdict.retry_after,
                _("Too many password reset requests from your network. Try again later."),
            )
        email = form.cleaned_data["email"].strip().lower()
        if not throttle.take(
            "reset-account", email, settings.THROTTLE_EMAILS_PER_ACCOUNT, window
        ).allowed:
            return redirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm[Any]) -> HttpResponse:
        response = super().form_valid(form)
        services.password_was_changed(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("orgs:root")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        messages.success(self.request, _("Your password was changed."))
        response = super().form_valid(form)
        services.password_was_changed(user=form.user)
        return response


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: OrgRequest) -> HttpResponse:
    user = request.user
    initial = {
        "full_name": user.full_name,
        "title": user.title,
        "time_zone": user.time_zone,
        "notifications": [k for k, _label in NOTIFICATION_CHOICES if user.wants_email(k)],
    }
    form = ProfileForm(request.POST or None, initial=initial)
    outcome = submit(
        form,
        lambda: services.update_profile(
            user=user,
            full_name=form.cleaned_data["full_name"],
            title=form.cleaned_data["title"],
            time_zone=form.cleaned_data["time_zone"],
            notification_preferences={
                k: k in form.cleaned_data["notifications"] for k, _label in NOTIFICATION_CHOICES
            },
        ),
    )
    if isinstance(outcome, Saved):
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile", org_slug=request.org.slug)
    return render(request, "accounts/profile.html", {"form": form})
