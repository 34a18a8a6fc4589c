from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from okrcoach.api.services import resolve_api_token
from okrcoach.orgs.models import Membership


class TokenAuth(HttpBearer):
    """`Authorization: Bearer okr_…` → the token owner's active membership of the token's
    organisation. A header token is not sent by browsers on their own, so no CSRF check."""

    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        api_token = resolve_api_token(token)
        if api_token is None:
            return None
        membership = (
            Membership.objects.for_org(api_token.organisation)
            .select_related("organisation", "user", "team")
            .filter(user=api_token.user, is_active=True)
            .first()
        )
        if membership is None:
            return None
        request.membership = membership  # type: ignore[attr-defined]
        request.api_token_id = api_token.pk  # type: ignore[attr-defined]  # per-token limits
        request.org = membership.organisation  # type: ignore[attr-defined]
        return membership


def actor(request: Any) -> Membership:
    membership: Membership = request.auth
    return membership
