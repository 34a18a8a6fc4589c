"""The one place that decides whether a member may reach an object.

Another organisation's object and a missing object give the same 404, so ids cannot be probed.
A missing role inside your own organisation is a 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponse

from .models import Membership, Role

M = TypeVar("M", bound=models.Model)


def get_for_member_or_404(queryset: models.QuerySet[M], membership: Membership, **lookup: Any) -> M:
    try:
        return queryset.filter(organisation_id=membership.organisation_id).get(**lookup)
    except (ObjectDoesNotExist, ValidationError, ValueError) as exc:
        # ValidationError/ValueError: a malformed UUID is just another missing object.
        raise Http404("No such object in this organisation.") from exc


def require_role(membership: Membership, *roles: str) -> None:
    if membership.role not in roles:
        raise PermissionDenied("Your role in this organisation does not allow this.")


def require_admin(membership: Membership) -> None:
    require_role(membership, Role.ADMIN)


V = TypeVar("V", bound=Callable[..., HttpResponse])


def admin_required(view: V) -> V:
    @wraps(view)
    def wrapper(request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        require_admin(request.membership)
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def ensure_same_org(actor: Membership, *objects: models.Model | None) -> None:
    """Services call this on every object they are handed: a programming error elsewhere must
    never let one organisation's action touch another's rows."""
    for obj in objects:
        if obj is None:
            continue
        org_id = obj.pk if obj._meta.label == "orgs.Organisation" else obj.organisation_id  # type: ignore[attr-defined]
        if org_id != actor.organisation_id:
            raise PermissionDenied("Cross-organisation access refused.")
