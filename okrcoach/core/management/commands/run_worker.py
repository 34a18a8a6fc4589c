"""`manage.py run_worker`: django-tasks-db's `db_worker` that survives a busy or unreachable
database. db_worker exits on any database error outside the claim (a locked SQLite file while
it records a result, a PostgreSQL restart); this one logs it, closes the connections, waits
(1 s, doubling up to 30 s) and carries on. A task whose result could not be recorded is
picked up again by django-tasks-db's claim logic only if it is still READY; sending is safe to
repeat (see okrcoach.core.tasks). Same options as db_worker."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django_tasks_db.management.commands import db_worker

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


class Command(db_worker.Command):
    help = "Run the task worker; it waits out a busy or unreachable database instead of exiting."

    def handle(self, *args: Any, **options: Any) -> None:
        original = db_worker.Worker
        db_worker.Worker = ResilientWorker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]
