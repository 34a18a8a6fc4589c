from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from okrcoach.okrs.management.organisations import add_org_option, selected_organisations
from okrcoach.okrs.services.coach import recoach_organisation


class Command(BaseCommand):
    help = (
        "Review every objective and key result again and store the coach's latest verdict and "
        "rule ids (run after a coach upgrade)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_org_option(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        for organisation in selected_organisations(options.get("org")):
            with transaction.atomic():
                krs, objectives = recoach_organisation(organisation)
            self.stdout.write(
                f"{organisation.slug}: {krs} key results and {objectives} objectives re-coached."
            )
