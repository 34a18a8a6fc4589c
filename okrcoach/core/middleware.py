"""The headers every response carries, including the ones no view produced: static files served
by WhiteNoise and the 400 for a bad Host header answer before django-csp's middleware runs, so
this outermost middleware gives them the site's policy (without a nonce: they run no inline
script)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

CSP_HEADER = "Content-Security-Policy"


def baseline_policy() -> str:
    directives: dict[str, Any] = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    parts = []
    for name, sources in directives.items():
        kept = [s for s in sources if "nonce" not in str(s).lower()]
        parts.append(" ".join([name, *kept]))
    return "; ".join(parts)


class BaselineSecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = baseline_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if CSP_HEADER not in response:
            response[CSP_HEADER] = self.policy
        response.setdefault("X-Content-Type-Options", "nosniff")
        return response
