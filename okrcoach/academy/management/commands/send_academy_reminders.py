from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from okrcoach.academy.tasks import (
    send_academy_reminders,
    send_refresher_reminders,
    sync_product_evidence,
)


class Command(BaseCommand):
    help = (
        "Send academy assignment reminders (due soon, overdue) and refresher emails. "
        "Idempotent per day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="ISO date to act as today (for back-filling)")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the work to the task worker instead of running it here",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            sync_product_evidence.enqueue()
            result = send_academy_reminders.enqueue(today=options["today"])
            refreshers = send_refresher_reminders.enqueue(today=options["today"])
            self.stdout.write(f"Enqueued tasks {result.id} and {refreshers.id}.")
            return
        # Field assignments first, so nobody is reminded about work they have already done.
        learners = sync_product_evidence.call()
        self.stdout.write(f"Practice evidence brought up to date for {learners} learner(s).")
        sent = send_academy_reminders.call(today=options["today"])
        self.stdout.write(self.style.SUCCESS(f"{sent} reminder(s) queued."))
        sent = send_refresher_reminders.call(today=options["today"])
        self.stdout.write(self.style.SUCCESS(f"{sent} refresher email(s) queued."))
