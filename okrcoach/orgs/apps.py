from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "okrcoach.orgs"
    label = "orgs"
    verbose_name = "Organisations"

    def ready(self) -> None:
        from okrcoach.core.mail import register_email

        from . import signals  # noqa: F401  (sign-in audit hooks)
        from .services import INVITATION_EMAIL, render_invitation

        register_email(INVITATION_EMAIL, render_invitation)
