"""Prometheus metrics: requests and their latency per route, and the task queue's depth.

Under gunicorn every worker counts its own requests; set PROMETHEUS_MULTIPROC_DIR to an empty
folder (the systemd unit does) and /metrics adds them up across workers. /metrics is for the
monitoring host: deploy/nginx/okrcoach.conf only lets loopback reach it."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as prometheus_multiprocess

REQUESTS = Counter(
    "okrcoach_http_requests_total",
    "HTTP requests answered, by route (URL name), method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "okrcoach_http_request_duration_seconds",
    "Time to answer an HTTP request, by route (URL name).",
    ["route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


class MetricsMiddleware:
    """First in MIDDLEWARE, so the time includes every other middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        began = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        # The URL name, never the path: one series per route, whatever the ids in it.
        route = (match.view_name or "unnamed") if match else "unmatched"
        LATENCY.labels(route).observe(time.perf_counter() - began)
        REQUESTS.labels(route, request.method or "", str(response.status_code)).inc()
        return response


def queue_depth() -> dict[str, int]:
    """Tasks waiting and running in the database queue (one query)."""
    from django.db.models import Count
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    rows = (
        DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
        .values("status")
        .annotate(n=Count("id"))
    )
    depth = {"READY": 0, "RUNNING": 0}
    depth.update({row["status"]: row["n"] for row in rows})
    return depth


def render_metrics() -> HttpResponse:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        body = generate_latest(registry)
    else:
        body = generate_latest()
    depth = queue_depth()
    body += (
        "# HELP okrcoach_task_queue_depth Tasks in the database queue, by state.\n"
        "# TYPE okrcoach_task_queue_depth gauge\n"
        f'okrcoach_task_queue_depth{{state="ready"}} {depth["READY"]}\n'
        f'okrcoach_task_queue_depth{{state="running"}} {depth["RUNNING"]}\n'
    ).encode()
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
