from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "okrcoach.accounts"
    label = "accounts"
    verbose_name = "Accounts"
