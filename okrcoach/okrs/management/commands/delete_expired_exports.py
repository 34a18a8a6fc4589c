from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from okrcoach.okrs.tasks import delete_expired_exports


class Command(BaseCommand):
    help = "Delete export files (and their jobs) older than EXPORT_RETENTION_HOURS. Run it hourly."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="Hand it to the task worker")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = delete_expired_exports.enqueue()
            self.stdout.write(f"Enqueued task {result.id}.")
            return
        deleted = delete_expired_exports.call()
        self.stdout.write(self.style.SUCCESS(f"{deleted} expired export(s) deleted."))
