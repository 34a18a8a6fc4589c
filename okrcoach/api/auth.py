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
        resolved = resolve_api_token(token)
        if resolved is None:
            return None
        membership, token_id = resolved
        request.membership = membership  # type: ignore[attr-defined]
        request.api_token_id = token_id  # type: ignore[attr-defined]  # per-token limits
        request.org = membership.organisation  # type: ignore[attr-defined]
        return membership


def actor(request: Any) -> Membership:
    membership: Membership = request.auth
    return membership
