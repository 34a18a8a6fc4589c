from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from okrcoach.demo.academy import seed_academy
from okrcoach.demo.growth import seed_growth
from okrcoach.demo.okrs import seed_okrs
from okrcoach.demo.people import DEMO_PASSWORD, demo_accounts, seed_people
from okrcoach.orgs.models import Organisation


class Command(BaseCommand):
    help = "Load the demo organisations into an empty database (does nothing otherwise)."

    def handle(self, *args: Any, **options: Any) -> None:
        if Organisation.objects.exists():
            self.stdout.write("The database already holds organisations: demo data not loaded.")
            return
        # Each step builds on the one before: the OKRs need the people, and the academy's
        # demo learners are those people.
        seed_people()
        seed_okrs()
        seed_academy()
        seed_growth()
        self.stdout.write(self.style.SUCCESS("Demo organisations loaded."))
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for account in demo_accounts():
            self.stdout.write(f"  {account.label:<22} {account.email:<36} {account.name}")
