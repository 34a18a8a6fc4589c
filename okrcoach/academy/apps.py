from __future__ import annotations

from django.apps import AppConfig


class AcademyConfig(AppConfig):
    name = "okrcoach.academy"
    label = "academy"
    verbose_name = "Academy"

    def seed_demo(self) -> None:
        """Called by `manage.py seed_demo` after the demo organisations exist."""
        from .demo import seed_academy

        seed_academy()
