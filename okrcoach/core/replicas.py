"""Reads from a PostgreSQL streaming replica, writes to the primary, and read-your-writes.

With REPLICA_DATABASE_URL set, settings add a "replica" database and this router:
- every write goes to the primary ("default");
- a read goes to the replica only inside a web request (ReadYourWritesMiddleware opens that
  scope); the task worker, management commands and the shell read the primary, since a task
  enqueued on commit must find the rows its request just wrote;
- inside a transaction on the primary every read stays there (a replica lags and cannot see
  the transaction's own rows);
- once a request has written, the rest of it reads the primary, and so do that browser's
  requests for READ_YOUR_WRITES_SECONDS (a cookie carries the deadline): whoever just changed
  something sees the change, while everyone else may read up to the replica's lag behind.
  A forged cookie only sends its holder's reads to the primary.
Without a replica every query goes to "default" and the middleware does nothing."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponseBase

PRIMARY = "default"
REPLICA = "replica"
COOKIE = "okrcoach_primary_until"


class _State(threading.local):
    in_request = False
    primary_until = 0.0
    wrote = False


_state = _State()


def has_replica() -> bool:
    return REPLICA in settings.DATABASES


def reads_use_primary() -> bool:
    """True when this thread's reads must see the primary (see the module docstring)."""
    return (
        not _state.in_request
        or _state.wrote
        or _state.primary_until > time.time()
        or connections[PRIMARY].in_atomic_block
    )


class PrimaryReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        if not has_replica() or reads_use_primary():
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        _state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


class ReadYourWritesMiddleware:
    """Outermost of the middleware that touch the database, so sessions follow the rule too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.active = has_replica()
        self.seconds = int(getattr(settings, "READ_YOUR_WRITES_SECONDS", 10))

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not self.active:
            return self.get_response(request)
        try:
            until = float(request.COOKIES.get(COOKIE, "0"))
        except ValueError:
            until = 0.0
        _state.in_request, _state.wrote = True, False
        _state.primary_until = min(until, time.time() + self.seconds)
        try:
            response = self.get_response(request)
            if _state.wrote:
                deadline = time.time() + self.seconds
                response.set_cookie(
                    COOKIE,
                    f"{deadline:.3f}",
                    max_age=self.seconds,
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
            return response
        finally:
            _state.in_request, _state.wrote, _state.primary_until = False, False, 0.0
