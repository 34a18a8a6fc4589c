"""Rate limits on the Django cache: sign-in failures per client address, password-reset and
invitation emails per address and per account, coach requests per API token.

A limit is a count in a fixed window: `take(scope, key, limit, window)` counts one hit and says
whether it is allowed, with the seconds to wait when it is not. Keys are hashed, so the cache holds
no address or email in clear. In production point the "default" cache at a store every server
process shares (Redis, Memcached or the database cache): the local-memory default counts per
process. Every limit is a setting (see settings/base.py, THROTTLE_*)."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds; 0 when allowed


def _key(scope: str, key: str, window: int) -> tuple[str, int]:
    now = int(time.time())
    start = now - now % window
    digest = hashlib.sha256(f"{scope}\0{key}".encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}:{start}", start + window - now


def take(scope: str, key: str, limit: int, window: int, amount: int = 1) -> Verdict:
    """Count `amount` on (scope, key); refused once more than `limit` was counted in this window
    (hits, or for a size budget, bytes)."""
    name, left = _key(scope, key, window)
    cache.add(name, 0, timeout=left + 1)
    try:
        count = cache.incr(name, amount)
    except ValueError:  # expired between add and incr
        cache.set(name, amount, timeout=left + 1)
        count = amount
    return Verdict(count <= limit, 0 if count <= limit else max(left, 1))


def peek(scope: str, key: str, limit: int, window: int) -> Verdict:
    """Is (scope, key) over its limit now? Counts nothing."""
    name, left = _key(scope, key, window)
    count = cache.get(name, 0)
    return Verdict(count < limit, 0 if count < limit else max(left, 1))


def client_ip(request: HttpRequest) -> str:
    """The client's address. By default REMOTE_ADDR: no header is trusted. Behind a reverse proxy
    set CLIENT_IP_HEADER (e.g. "X-Forwarded-For" or "X-Real-IP") to the header the proxy sets;
    for X-Forwarded-For the right-most entry is taken (the one your proxy appended; the entries
    before it come from the client and can be forged)."""
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header:
        meta = "HTTP_" + header.upper().replace("-", "_")
        value = request.META.get(meta, "")
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if parts:
            return str(parts[-1])
    return str(request.META.get("REMOTE_ADDR", ""))


def axes_client_ip(request: HttpRequest) -> str:
    """django-axes' AXES_CLIENT_IP_CALLABLE: the same address everything else uses."""
    return client_ip(request)
