"""Everything the run command needs before the server starts, in one process (each manage.py
start costs seconds): apply migrations, then either load the demo into an empty database or
refresh the academy content of an existing one."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.urls import get_resolver

from okrcoach.demo.people import DEMO_PASSWORD, demo_accounts
from okrcoach.orgs.models import Organisation


class Command(BaseCommand):
    help = (
        "Migrate, then load the demo (empty database, unless --no-demo) or refresh the academy; "
        "with --serve, go on to run the development server."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-demo", action="store_true", help="leave an empty installation empty"
        )
        parser.add_argument(
            "--accounts-file", default="", help="write the demo accounts there (if loaded)"
        )
        parser.add_argument(
            "--serve",
            default="",
            metavar="ADDRESS:PORT",
            help="then run the development server in this process (saves a second start-up)",
        )
        parser.add_argument("--server-log", default="", help="the server's own messages go here")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        if Organisation.objects.exists() or options["no_demo"]:
            call_command("load_academy", stdout=self.stdout)
        else:
            call_command("seed_demo", stdout=self.stdout, accounts=False)
        self.stdout.write(f"Database ready in {time.monotonic() - started:.1f} s.")
        if options["accounts_file"]:
            with open(options["accounts_file"], "w", encoding="utf-8") as out:
                if Organisation.objects.filter(slug="kestrel").exists():
                    out.write(f"Demo accounts (password: {DEMO_PASSWORD}):\n")
                    for account in demo_accounts():
                        out.write(f"  {account.label:<22} {account.email:<36} {account.name}\n")
        if options["serve"]:
            get_resolver().url_patterns  # load every app's URLs before the first request  # noqa: B018
            log = open(options["server_log"], "a") if options["server_log"] else self.stdout  # noqa: SIM115
            call_command(
                "runserver", options["serve"], use_reloader=False, skip_checks=True, stdout=log
            )
