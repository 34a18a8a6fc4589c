from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "okrcoach.growth"
    label = "growth"
    verbose_name = "Growth"

    def ready(self) -> None:
        # comms comes first in the import order: growth hands it its notification targets.
        from . import notifications

        notifications.register()
