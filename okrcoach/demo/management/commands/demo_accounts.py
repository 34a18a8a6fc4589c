from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from okrcoach.demo.people import DEMO_PASSWORD, demo_accounts


class Command(BaseCommand):
    help = "Print the demo accounts and their shared password."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for account in demo_accounts():
            self.stdout.write(f"  {account.label:<22} {account.email:<36} {account.name}")
