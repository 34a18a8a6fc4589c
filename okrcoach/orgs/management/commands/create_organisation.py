"""Create an organisation and its first admin from the command line: one way a new installation
gets its first tenant (the others: the one-time setup form on an empty installation, and
self-service sign-up when the installation allows it)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction

from okrcoach.accounts.models import User
from okrcoach.orgs.services import create_organisation, start_organisation

# Command-line option for each field the service may refuse.
OPTION_FOR_FIELD = {"name": "NAME", "slug": "--slug", "admin_email": "--admin-email"}


class Command(BaseCommand):
    help = (
        "Create organisation NAME with short name --slug and make --admin-email its first admin. "
        "A person without an account gets an emailed invitation (its link is printed too); an "
        "existing account becomes admin at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--slug", required=True, help="short name used in URLs: /o/SLUG/")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", default="", help="full name of a new admin")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["admin_email"].strip().lower()
        invited = False
        try:
            validate_email(email)
            with transaction.atomic():
                existing = User.objects.filter(email__iexact=email).first()
                if existing is not None:
                    org = create_organisation(
                        name=options["name"].strip(), slug=options["slug"], creator=existing
                    )
                else:
                    org, _invitation = start_organisation(
                        name=options["name"],
                        slug=options["slug"],
                        admin_email=email,
                        admin_name=options["admin_name"],
                    )
                    invited = True
        except ValidationError as exc:
            raise CommandError(self._describe(exc)) from exc
        self.stdout.write(f"Created {org.name} at {settings.SITE_URL}/o/{org.slug}/")
        if invited:
            self.stdout.write(
                f"Invitation emailed to {email} (valid for {settings.INVITATION_VALID_DAYS} "
                "days); accepting it makes them the first admin."
            )
        else:
            self.stdout.write(f"{email} is its first admin.")

    @staticmethod
    def _describe(exc: ValidationError) -> str:
        if not hasattr(exc, "error_dict"):  # validate_email's plain error
            return f"--admin-email: {' '.join(exc.messages)}"
        return "; ".join(
            f"{OPTION_FOR_FIELD.get(field, field)}: {' '.join(messages)}"
            for field, messages in exc.message_dict.items()
        )
