"""Typed requests and the htmx page/fragment switch."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRedirect

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from okrcoach.accounts.models import User
    from okrcoach.orgs.models import Membership, Organisation


class AuthenticatedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


class OrgRequest(AuthenticatedRequest):
    """A request inside /o/<slug>/: the middleware has resolved the organisation and the
    signed-in user's active membership of it (a non-member never gets this far: 404)."""

    org: Organisation
    membership: Membership


def wants_fragment(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request  # type: ignore[union-attr]


def render_page_or_fragment(
    request: HttpRequest,
    page: str,
    fragment: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    """One URL, two representations: the partial for an htmx swap, the whole page otherwise.
    Views that use it also vary on HX-Request (`@vary_on_headers`)."""
    return render(request, fragment if wants_fragment(request) else page, context, status=status)


def redirect_after_post(request: HttpRequest, url: str) -> HttpResponse:
    """Where a saved form goes next: htmx follows a client redirect (the swap target would
    otherwise receive the whole next page), a plain browser an ordinary redirect."""
    if getattr(request, "htmx", None):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


# Every page inside an organisation lives under this prefix; OrganisationMiddleware resolves it.
ORG = "o/<slug:org_slug>/"
