from __future__ import annotations

from django.apps import AppConfig


class AcademyConfig(AppConfig):
    name = "okrcoach.academy"
    label = "academy"
    verbose_name = "Academy"
