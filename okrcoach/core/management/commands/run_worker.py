"""`manage.py run_worker`: django-tasks-db's `db_worker` that survives a busy or unreachable
database. db_worker exits on any database error outside the claim (a locked SQLite file while
it records a result, a PostgreSQL restart); this one logs it, closes the connections, waits
(1 s, doubling up to 30 s) and carries on. A task whose result could not be recorded is
picked up again by django-tasks-db's claim logic only if it is still READY; sending is safe to
repeat (see okrcoach.core.tasks). Same options as db_worker."""

from __future__ import annotations

import logging
import time
from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("okrcoach.worker")

MAX_PAUSE = 30.0


class ResilientWorker(db_worker.Worker):
    def run(self) -> None:
        pause = 1.0
        while self.running:
            try:
                super().run()
                return  # --batch ran dry, or --max-tasks reached
            except (OperationalError, InterfaceError) as exc:
                logger.warning("Database unavailable (%s); retrying in %.0f s", exc, pause)
                connections.close_all()
                time.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE)


def requeue_stale(older_than_seconds: float) -> int:
    """Put back in the queue the tasks a killed worker left RUNNING (started longer ago than
    `older_than_seconds`). Sending mail is safe to repeat."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).update(status=TaskResultStatus.READY, started_at=None)


class Command(db_worker.Command):
    help = "Run the task worker; it waits out a busy or unreachable database instead of exiting."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--requeue-after",
            type=float,
            default=3600.0,
            help="At start, requeue tasks left RUNNING for longer than this many seconds by a "
            "worker that was killed (default: %(default)s). Use 0 only with a single worker.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            requeued = requeue_stale(options.pop("requeue_after"))
        except (OperationalError, InterfaceError) as exc:
            logger.warning("Could not requeue stale tasks (%s); starting anyway", exc)
            requeued = 0
        if requeued:
            logger.warning("Requeued %d task(s) left running by a stopped worker", requeued)
        original = db_worker.Worker
        db_worker.Worker = ResilientWorker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]
