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

    membership = getattr(request, "membership", None)
    # The switcher lists the user's organisations only when there are several. The middleware
    # counted them with the membership (`active_membership_count`): a member of one
    # organisation costs no query; otherwise the list is one query, only when a template reads it.
    if getattr(membership, "active_membership_count", None) == 1:
        user_memberships: object = [membership]
    else:
        user_memberships = SimpleLazyObject(load)
    return {
        "org": getattr(request, "org", None),
        "membership": membership,
        "user_memberships": user_memberships,
    }
