from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "okrcoach.orgs"
    label = "orgs"
    verbose_name = "Organisations"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (sign-in audit hooks)
