"""Sign-in events go to the audit log of each organisation the person belongs to. These are auth
framework hooks, not business logic: Django offers no other place to observe a sign-in made
through its views. They live in orgs because the audit log is kept per membership."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import Signal, receiver
from django.http import HttpRequest

from okrcoach.core.audit import audit
from okrcoach.core.http import client_ip

from .models import Membership

# Sent with `membership` and `actor` when an admin deactivates a person: credentials that act
# as that membership (the API's tokens) are revoked, so a reactivation does not revive them.
member_deactivated = Signal()


@receiver(user_logged_in)
def record_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    ip = client_ip(request) if request is not None else None
    memberships = Membership.all_orgs.filter(user=user, is_active=True).select_related(
        "organisation", "user"
    )
    for membership in memberships:
        audit(membership, "accounts.sign_in.succeeded", user, ip_address=ip)


@receiver(user_login_failed)
def record_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    email = str(credentials.get("username") or credentials.get("email") or "")[:200]
    ip = client_ip(request) if request is not None else None
    user = get_user_model().objects.filter(email__iexact=email).first() if email else None
    memberships = (
        Membership.all_orgs.filter(user=user).select_related("organisation") if user else []
    )
    data = {"email": email}
    wrote = False
    for membership in memberships:
        audit(
            None,
            "accounts.sign_in.failed",
            user,
            organisation=membership.organisation,
            data=data,
            ip_address=ip,
        )
        wrote = True
    if not wrote:
        audit(None, "accounts.sign_in.failed", None, data=data, ip_address=ip)
