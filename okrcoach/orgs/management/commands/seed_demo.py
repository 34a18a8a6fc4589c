from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from okrcoach.orgs.demo import DEMO_PASSWORD, demo_accounts, seed_people
from okrcoach.orgs.models import Organisation


class Command(BaseCommand):
    help = "Load the demo organisations into an empty database (does nothing otherwise)."

    def handle(self, *args: Any, **options: Any) -> None:
        if Organisation.objects.exists():
            self.stdout.write("The database already holds organisations: demo data not loaded.")
            return
        seed_people()
        from django.apps import apps

        # Later apps contribute their own demo data (OKRs, academy) when installed.
        for config in apps.get_app_configs():
            seeder = getattr(config, "seed_demo", None)
            if callable(seeder):
                seeder()
        self.stdout.write(self.style.SUCCESS("Demo organisations loaded."))
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for account in demo_accounts():
            self.stdout.write(f"  {account.label:<22} {account.email:<36} {account.name}")
