from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from okrcoach.okrs.management.organisations import add_org_option, selected_organisations
from okrcoach.okrs.rollup import recompute_organisation


class Command(BaseCommand):
    help = "Recompute every key result's and objective's cached progress from stored values."

    def add_arguments(self, parser: CommandParser) -> None:
        add_org_option(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        for organisation in selected_organisations(options.get("org")):
            # Not in one transaction: in batches of their own, so check-ins meanwhile wait
            # for one batch at most (rollup._RECOMPUTE_IN_BATCHES).
            krs, objectives = recompute_organisation(organisation)
            self.stdout.write(
                f"{organisation.slug}: {krs} key results and {objectives} objectives updated."
            )
