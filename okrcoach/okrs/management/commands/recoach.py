from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from okrcoach.okrs.coaching import recoach_organisation
from okrcoach.orgs.models import Organisation


class Command(BaseCommand):
    help = (
        "Review every objective and key result again and store the coach's latest verdict and "
        "rule ids (run after a coach upgrade)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", help="Only this organisation (its slug).")

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.order_by("pk")
        if options.get("org"):
            organisations = organisations.filter(slug=options["org"])
        for organisation in organisations:
            with transaction.atomic():
                krs, objectives = recoach_organisation(organisation)
            self.stdout.write(
                f"{organisation.slug}: {krs} key results and {objectives} objectives re-coached."
            )
