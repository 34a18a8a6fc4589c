"""Sign-in events go to the audit log of each organisation the person belongs to. These are auth
framework hooks, not business logic: Django offers no other place to observe a sign-in made
through its views. They live in orgs because the audit log is kept per membership. Also: any
saved or deleted membership or team makes Home's cached head counts be counted again."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver
from django.http import HttpRequest

from okrcoach.core.audit import audit
from okrcoach.core.http import client_ip

from .models import Membership, Team
from .selectors import headcount_changed

# Sent with `membership` and `actor` when an admin deactivates a person: credentials that act
# as that membership (the API's tokens) are revoked, so a reactivation does not revive them.
member_deactivated = Signal()


_ORG_PATH = re.compile(r"^/o/(?P<slug>[-\w]+)/")


def _signed_into(request: HttpRequest | None, memberships: list[Membership]) -> int | None:
    """The organisation the person is signing in to: the one the `next` page belongs to, else
    their only organisation. None when that cannot be told: then no organisation gets the
    address."""
    if not memberships:
        return None
    if request is not None:
        target = str(request.POST.get("next") or request.GET.get("next") or "")
        if match := _ORG_PATH.match(target):
            for membership in memberships:
                if membership.organisation.slug == match["slug"]:
                    return membership.organisation_id
            return None
    return memberships[0].organisation_id if len(memberships) == 1 else None


def _active_memberships(user: Any) -> list[Membership]:
    return list(
        Membership.all_orgs.filter(user=user, is_active=True).select_related("organisation")
    )


@receiver(user_logged_in)
def record_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """One row in each organisation where the person is an active member; the IP address only
    in the organisation they signed in to."""
    ip = client_ip(request) if request is not None else None
    memberships = _active_memberships(user)
    into = _signed_into(request, memberships)
    for membership in memberships:
        membership.user = user
        audit(
            membership,
            "accounts.sign_in.succeeded",
            user,
            ip_address=ip if membership.organisation_id == into else None,
        )


@receiver(user_login_failed)
def record_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """A failed sign-in of a known person goes to the organisations where they are an active
    member (IP only where they were signing in to); of an unknown address, to the
    installation's log only."""
    email = str(credentials.get("username") or credentials.get("email") or "")[:200]
    ip = client_ip(request) if request is not None else None
    user = get_user_model().objects.filter(email__iexact=email).first() if email else None
    memberships = _active_memberships(user) if user is not None else []
    into = _signed_into(request, memberships)
    data = {"email": email}
    for membership in memberships:
        audit(
            None,
            "accounts.sign_in.failed",
            user,
            organisation=membership.organisation,
            data=data,
            ip_address=ip if membership.organisation_id == into else None,
        )
    if not memberships:
        audit(None, "accounts.sign_in.failed", None, data=data, ip_address=ip)


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
@receiver(post_save, sender=Team)
@receiver(post_delete, sender=Team)
def forget_head_counts(sender: Any, instance: Membership | Team, **kwargs: Any) -> None:
    headcount_changed(instance.organisation_id)
