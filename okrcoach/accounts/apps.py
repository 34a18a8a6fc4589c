from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "okrcoach.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from okrcoach.core.mail import register_email

        from .forms import PASSWORD_RESET_EMAIL
        from .services import render_password_reset

        register_email(PASSWORD_RESET_EMAIL, render_password_reset)
