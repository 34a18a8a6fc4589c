"""Pages of the installation rather than of an organisation: the one-time setup form of an
empty installation, and self-service sign-up of new organisations (when the installation's
ALLOW_ORGANISATION_SIGNUP setting allows it)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from okrcoach.core.forms import Saved, submit

from . import services
from .forms import DomainJoinForm, SignUpForm
from .models import Membership, Organisation


def _create(request: HttpRequest, *, first: bool) -> HttpResponse:
    form = SignUpForm(request.POST or None)

    def save() -> Membership:
        data = form.cleaned_data
        return services.sign_up_organisation(
            name=data["organisation_name"],
            slug=data["slug"],
            full_name=data["full_name"],
            email=data["email"],
            password=data["password1"],
        )

    outcome = submit(form, save)
    if isinstance(outcome, Saved):
        member = outcome.value
        login(request, member.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("%(org)s is ready. Invite your colleagues from Admin, then write a first OKR.")
            % {"org": member.organisation.name},
        )
        return redirect("orgs:home", org_slug=member.organisation.slug)
    return render(request, "orgs/setup.html", {"form": form, "first": first})


@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Offered once: only while the installation holds no organisation."""
    if Organisation.objects.exists():
        raise Http404("This installation is already set up.")
    return _create(request, first=True)


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    if not settings.ALLOW_ORGANISATION_SIGNUP:
        raise Http404("Sign-up of new organisations is off on this installation.")
    if request.user.is_authenticated:
        return redirect("orgs:root")
    return _create(request, first=False)


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """Join an organisation that lets people at one's email domain in (ALLOW_DOMAIN_JOIN): the
    emailed link is the proof; nothing is granted before it is followed."""
    if not settings.ALLOW_DOMAIN_JOIN:
        raise Http404("Joining by email domain is off on this installation.")
    form = DomainJoinForm(request.POST or None)
    outcome = submit(
        form,
        lambda: services.request_domain_join(
            email=form.cleaned_data["email"], full_name=form.cleaned_data["full_name"]
        ),
    )
    if isinstance(outcome, Saved):
        return render(
            request, "orgs/join.html", {"sent_to": form.cleaned_data["email"].strip().lower()}
        )
    return render(request, "orgs/join.html", {"form": form})
