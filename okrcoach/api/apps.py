from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "okrcoach.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the signal receivers)
