"""Create an organisation and its first admin from the command line: the way a new installation
gets its first tenant (nobody can sign up through the site)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from okrcoach.accounts.models import User
from okrcoach.orgs.services import create_organisation

# Command-line option for each field the service may refuse.
OPTION_FOR_FIELD = {"name": "NAME", "slug": "--slug"}


def _password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("accounts:password_reset_confirm", args=[uid, token])


class Command(BaseCommand):
    help = (
        "Create organisation NAME with short name --slug and make --admin-email its first admin. "
        "A new person gets an account without a password and a link (printed) to choose one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--slug", required=True, help="short name used in URLs: /o/SLUG/")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", default="", help="full name of a new admin")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["admin_email"].strip().lower()
        try:
            validate_email(email)
            with transaction.atomic():
                admin = User.objects.filter(email__iexact=email).first()
                if admin is None:
                    # password=None: an unusable password until they follow the link.
                    admin = User.objects.create_user(
                        email, password=None, full_name=options["admin_name"].strip()
                    )
                org = create_organisation(
                    name=options["name"].strip(), slug=options["slug"], creator=admin
                )
        except ValidationError as exc:
            raise CommandError(self._describe(exc)) from exc
        self.stdout.write(f"Created {org.name} at {settings.SITE_URL}/o/{org.slug}/")
        self.stdout.write(f"{admin.email} is its first admin.")
        if not admin.has_usable_password():
            self.stdout.write(
                f"Send them this link to choose a password (valid for "
                f"{settings.PASSWORD_RESET_TIMEOUT // 3600} hours): {_password_link(admin)}"
            )

    @staticmethod
    def _describe(exc: ValidationError) -> str:
        if not hasattr(exc, "error_dict"):  # validate_email's plain error
            return f"--admin-email: {' '.join(exc.messages)}"
        return "; ".join(
            f"{OPTION_FOR_FIELD.get(field, field)}: {' '.join(messages)}"
            for field, messages in exc.message_dict.items()
        )
