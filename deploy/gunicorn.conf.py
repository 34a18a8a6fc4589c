"""gunicorn settings for okrcoach, read from the environment:

    gunicorn -c deploy/gunicorn.conf.py okrcoach.wsgi:application

WEB_CONCURRENCY   worker processes (default 2: one per core on the two-core reference machine)
WEB_THREADS       threads per worker (default 1: sync workers; above 1 gunicorn uses gthread)
WEB_TIMEOUT       seconds a request may run before its worker is restarted (default 30)
WEB_BIND          address (default 127.0.0.1:8000; nginx proxies to it)
WEB_MAX_REQUESTS  recycle a worker after this many requests (default 0: never)
"""

import os

bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "1"))
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT", "20"))
keepalive = int(os.environ.get("WEB_KEEPALIVE", "5"))
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# nginx on the same host sets X-Forwarded-*; trust it only from loopback.
forwarded_allow_ips = os.environ.get("WEB_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("WEB_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("WEB_LOG_LEVEL", "info")


def child_exit(server: object, worker: object) -> None:
    """With PROMETHEUS_MULTIPROC_DIR set, a dead worker's live gauges leave the totals."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined,no-untyped-call]
