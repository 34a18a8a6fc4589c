from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from okrcoach.academy.loader import CONTENT_DIR, ContentInvalid, load_courses


class Command(BaseCommand):
    help = "Validate the academy content files and upsert them (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--path", default=str(CONTENT_DIR), help="Content folder")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_courses(Path(options["path"]))
        except ContentInvalid as exc:
            raise CommandError("The academy content is invalid:\n" + str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Academy content loaded: {report}."))
