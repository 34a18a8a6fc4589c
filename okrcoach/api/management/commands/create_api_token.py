from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from okrcoach.api.services import create_api_token
from okrcoach.orgs.models import Membership


class Command(BaseCommand):
    help = "Create a personal API token for EMAIL in organisation SLUG and print it (once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--org", required=True, help="organisation slug")
        parser.add_argument("--name", default="command line")

    def handle(self, *args: Any, **options: Any) -> None:
        membership = (
            Membership.all_orgs.select_related("user", "organisation")
            .filter(
                user__email__iexact=options["email"],
                organisation__slug=options["org"],
                is_active=True,
            )
            .first()
        )
        if membership is None:
            raise CommandError(
                f"{options['email']} is not an active member of "
                f"an organisation named {options['org']!r}."
            )
        _token, raw = create_api_token(membership=membership, name=options["name"])
        self.stdout.write(raw)
