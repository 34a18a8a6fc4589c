"""Rate limits on the Django cache: sign-in failures per client address, password-reset and
invitation emails per address and per account, coach requests per API token.

A limit is a count over a sliding window: `take(scope, key, limit, window)` counts one hit and
says whether it is allowed, with the seconds to wait when it is not. The count is the current
fixed window's plus the previous window's weighted by how much of it still overlaps the last
`window` seconds, so a burst straddling a window boundary counts whole (a plain fixed window would
let twice the limit through across a boundary). Keys are hashed, so the cache holds
no address or email in clear. The "default" cache is shared by every process of the host (files
under CACHE_DIR, core/filecache.py, whose `incr` is atomic across processes) or, with Redis, by
every server. Every limit is a setting (see settings/base.py, THROTTLE_*)."""

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


def _names(scope: str, key: str, window: int) -> tuple[str, str, int, float]:
    """Cache keys of the current and the previous fixed window, the seconds left in the current
    one, and the share of the previous one that still lies within the last `window` seconds."""
    now = time.time()
    start = int(now) - int(now) % window
    digest = hashlib.sha256(f"{scope}\0{key}".encode()).hexdigest()[:32]
    base = f"throttle:{scope}:{digest}"
    overlap = 1 - (now - start) / window
    return f"{base}:{start}", f"{base}:{start - window}", start + window - int(now), overlap


def _retry_after(left: int, count: float, limit: int, previous: int, window: int) -> int:
    # The weighted previous window fades linearly: wait until the excess has faded, at most to
    # the end of the current window.
    if previous <= 0:
        return max(left, 1)
    fade = (count - limit) / previous * window
    return max(1, min(left, int(fade) + 1))


def take(scope: str, key: str, limit: int, window: int, amount: int = 1) -> Verdict:
    """Count `amount` on (scope, key); refused once more than `limit` was counted in the last
    `window` seconds (hits, or for a size budget, bytes)."""
    name, before, left, overlap = _names(scope, key, window)
    cache.add(name, 0, timeout=left + window + 1)
    try:
        current = cache.incr(name, amount)
    except ValueError:  # expired between add and incr
        cache.set(name, amount, timeout=left + window + 1)
        current = amount
    previous = int(cache.get(before, 0))
    count = current + previous * overlap
    if count <= limit:
        return Verdict(True, 0)
    return Verdict(False, _retry_after(left, count, limit, previous, window))


def peek(scope: str, key: str, limit: int, window: int) -> Verdict:
    """Is (scope, key) over its limit now? Counts nothing."""
    name, before, left, overlap = _names(scope, key, window)
    previous = int(cache.get(before, 0))
    count = cache.get(name, 0) + previous * overlap
    if count < limit:
        return Verdict(True, 0)
    return Verdict(False, _retry_after(left, count + 1, limit, previous, window))


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
