from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from okrcoach.demo.academy import seed_academy
from okrcoach.demo.comms import seed_comms
from okrcoach.demo.growth import seed_growth
from okrcoach.demo.insights import seed_insights
from okrcoach.demo.okrs import seed_okrs
from okrcoach.demo.people import DEMO_PASSWORD, demo_accounts, seed_people
from okrcoach.orgs.models import Organisation

# Each step builds on the ones before: the OKRs need the people, and the academy's demo
# learners are those people. A new app's demo data is one more line here.
STEPS: list[Callable[[], object]] = [
    seed_people,
    seed_okrs,
    seed_academy,
    seed_comms,
    seed_insights,
    seed_growth,
]


class Command(BaseCommand):
    help = "Load the demo organisations into an empty database (does nothing otherwise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-accounts", dest="accounts", action="store_false")

    def handle(self, *args: Any, **options: Any) -> None:
        if Organisation.objects.exists():
            self.stdout.write("The database already holds organisations: demo data not loaded.")
            return
        for step in STEPS:
            step()
        self.stdout.write(self.style.SUCCESS("Demo organisations loaded."))
        if options["accounts"]:
            self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
            for account in demo_accounts():
                self.stdout.write(f"  {account.label:<22} {account.email:<36} {account.name}")
