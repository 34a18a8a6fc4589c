from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "okrcoach.growth"
    label = "growth"
    verbose_name = "Growth"

    def ready(self) -> None:
        from .agenda_comments import register  # "new comments" on the 1:1 agenda, from comms

        register()
