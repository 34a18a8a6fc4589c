from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import Membership


def organisation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "signup_open": settings.ALLOW_ORGANISATION_SIGNUP,
            "join_open": settings.ALLOW_DOMAIN_JOIN,
        }

    def load() -> list[Membership]:
        return list(
            Membership.all_orgs.filter(user=user, is_active=True)
            .select_related("organisation")
            .order_by("organisation__name")
        )

    return {
        "org": getattr(request, "org", None),
        "membership": getattr(request, "membership", None),
        # Evaluated only when a template reads it (the organisation switcher): one query.
        "user_memberships": SimpleLazyObject(load),
    }
