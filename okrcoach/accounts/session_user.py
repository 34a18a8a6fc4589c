"""The signed-in user taken from a row the caller loaded anyway, instead of a query of its own.

Django's AuthenticationMiddleware loads `request.user` lazily, by primary key, on first use. A
page under /o/<slug>/ needs the member's row with the user joined (orgs/middleware.py): that
query can carry the user, and the separate lookup is saved. The user is adopted only when
Django's own check (`django.contrib.auth.get_user`) would have answered with this very user:
the session's backend is still configured and is the model backend, the user may sign in
(active), and the session's hash matches the user's current password hash. In every other case
nothing is changed and Django's lazy lookup runs as usual, with its own handling of a stale
session (flush) or a rotated secret key (fallback keys)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
    load_backend,
)
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare

from .models import User


def unresolved_session_user_id(request: HttpRequest) -> int | None:
    """The user id the session names, while `request.user` has not been loaded yet; None once
    it has been, or when the session names no user (then there is nothing to save)."""
    if hasattr(request, "_cached_user"):  # django.contrib.auth.middleware.get_user's memo
        return None
    raw = request.session.get(SESSION_KEY)
    if raw is None:
        return None
    user_id: int = get_user_model()._meta.pk.to_python(raw)
    return user_id


def adopt_session_user(request: HttpRequest, user: User) -> bool:
    """Make `user` the request's user if the session check passes for it (see the module's
    docstring); True when adopted."""
    if hasattr(request, "_cached_user") or str(user.pk) != str(request.session.get(SESSION_KEY)):
        return False
    backend_path = request.session.get(BACKEND_SESSION_KEY)
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return False
    backend = load_backend(backend_path)
    # Only the stock lookup is known to be `get(pk=...)` plus `user_can_authenticate`.
    if not isinstance(backend, ModelBackend) or type(backend).get_user is not ModelBackend.get_user:
        return False
    if not backend.user_can_authenticate(user):
        return False
    session_hash = request.session.get(HASH_SESSION_KEY)
    if not session_hash or not constant_time_compare(session_hash, user.get_session_auth_hash()):
        return False
    request._cached_user = user  # type: ignore[attr-defined]
    return True
