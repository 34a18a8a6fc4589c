from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "okrcoach.core"
    label = "core"
    verbose_name = "Core"
