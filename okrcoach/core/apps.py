from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "okrcoach.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import cache

        cache.connect()
