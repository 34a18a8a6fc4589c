"""Typed requests and the htmx page/fragment switch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

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


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


# Every page inside an organisation lives under this prefix; OrganisationMiddleware resolves it.
ORG = "o/<slug:org_slug>/"
