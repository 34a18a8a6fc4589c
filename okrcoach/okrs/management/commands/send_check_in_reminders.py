from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from okrcoach.okrs.reminders import send_check_in_reminders


class Command(BaseCommand):
    help = (
        "Send the check-in reminders due now (owner's time zone and working hours; at most one "
        "a person a day). Run it hourly."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="Hand it to the task worker")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = send_check_in_reminders.enqueue()
            self.stdout.write(f"Enqueued task {result.id}.")
            return
        sent = send_check_in_reminders.call()
        self.stdout.write(self.style.SUCCESS(f"{sent} reminder(s) sent."))
