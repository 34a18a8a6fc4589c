from __future__ import annotations

from django.apps import AppConfig


class AcademyConfig(AppConfig):
    name = "okrcoach.academy"
    label = "academy"
    verbose_name = "Academy"

    def ready(self) -> None:
        # comms sits below academy: academy hands it the digest's "Academy items due" section.
        from . import comms_hooks

        comms_hooks.register()
