"""Which organisations a maintenance command works on."""

from __future__ import annotations

from django.core.management.base import CommandError, CommandParser
from django.db.models import QuerySet

from okrcoach.orgs.models import Organisation


def add_org_option(parser: CommandParser) -> None:
    parser.add_argument("--org", help="Only this organisation (its slug).")


def selected_organisations(slug: str | None) -> QuerySet[Organisation]:
    """Every organisation, or the one named; an unknown slug is an error, not a silent no-op."""
    organisations = Organisation.objects.order_by("pk")
    if slug:
        organisations = organisations.filter(slug=slug)
        if not organisations.exists():
            raise CommandError(f"No organisation has the short name {slug!r}.")
    return organisations
