from __future__ import annotations

import os

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .audit import audit
from .http import client_ip
from .metrics import render_metrics


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database and the cache answer, 503 naming the one that does not (a load
    balancer takes the server out of rotation)."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "unreachable"
    try:
        probe = f"healthz:{os.getpid()}"
        cache.set(probe, "1", 30)
        checks["cache"] = "ok" if cache.get(probe) == "1" else "unreachable"
    except Exception:
        checks["cache"] = "unreachable"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """For the monitoring host only (METRICS_ALLOWED_IPS, loopback by default; nginx also
    refuses /metrics to anyone but loopback)."""
    if request.META.get("REMOTE_ADDR") not in settings.METRICS_ALLOWED_IPS:
        raise Http404
    return render_metrics()


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    membership = getattr(request, "membership", None)
    if membership is not None:
        # Permission denials inside an organisation are part of the audit trail.
        audit(
            membership,
            "access.denied",
            None,
            data={"path": request.path[:300]},
            ip_address=client_ip(request),
        )
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
