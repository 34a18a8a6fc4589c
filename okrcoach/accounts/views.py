from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from okrcoach.core.forms import attach_errors
from okrcoach.core.http import OrgRequest
from okrcoach.orgs.access import get_for_member_or_404

from . import services
from .forms import (
    NOTIFICATION_CHOICES,
    ApiTokenForm,
    EmailAuthenticationForm,
    ProfileForm,
    QueuedPasswordResetForm,
)
from .models import ApiToken


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = QueuedPasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("orgs:root")

    def form_valid(self, form):
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


def _token_list(request: OrgRequest) -> list[ApiToken]:
    return list(
        ApiToken.objects.filter(user=request.user, organisation=request.org).order_by("-created_at")
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: OrgRequest) -> HttpResponse:
    user = request.user
    initial = {
        "full_name": user.full_name,
        "title": user.title,
        "time_zone": user.time_zone,
        "notifications": [k for k, v in user.notification_preferences.items() if v],
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["notifications"])
        try:
            services.update_profile(
                user=user,
                full_name=form.cleaned_data["full_name"],
                title=form.cleaned_data["title"],
                time_zone=form.cleaned_data["time_zone"],
                notification_preferences={k: k in chosen for k, _label in NOTIFICATION_CHOICES},
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("accounts:profile", org_slug=request.org.slug)
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "token_form": ApiTokenForm(), "tokens": _token_list(request)},
    )


@login_required
@require_POST
def create_token(request: OrgRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    new_secret = None
    if form.is_valid():
        try:
            _token, new_secret = services.create_api_token(
                membership=request.membership, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            form = ApiTokenForm()
    context = {"token_form": form, "tokens": _token_list(request), "new_secret": new_secret}
    if request.htmx:
        return render(request, "accounts/partials/api_tokens.html", context)
    if new_secret:
        # Without JavaScript the secret is shown on this response; it is never stored.
        return render(request, "accounts/token_created.html", context)
    messages.error(request, _("The token was not created: see the name field."))
    return redirect(reverse("accounts:profile", kwargs={"org_slug": request.org.slug}))


@login_required
@require_POST
def revoke_token(request: OrgRequest, token_id: int) -> HttpResponse:
    qs = ApiToken.objects.filter(user=request.user)
    token = get_for_member_or_404(qs, request.membership, pk=token_id)
    services.revoke_api_token(membership=request.membership, token=token)
    if request.htmx:
        context = {"token_form": ApiTokenForm(), "tokens": _token_list(request)}
        return render(request, "accounts/partials/api_tokens.html", context)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:profile", org_slug=request.org.slug)
