from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from okrcoach.comms.tasks import send_weekly_digests


class Command(BaseCommand):
    help = (
        "Send the weekly digests (once per person per ISO week, however often this runs). "
        "Check-in reminders: `manage.py send_check_in_reminders`, hourly."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="ISO date to act as today")
        parser.add_argument("--enqueue", action="store_true", help="Hand it to the task worker")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = send_weekly_digests.enqueue(today=options["today"])
            self.stdout.write(f"Enqueued task {result.id}.")
            return
        sent = send_weekly_digests.call(today=options["today"])
        self.stdout.write(self.style.SUCCESS(f"{sent} digest(s) sent."))
