from django.apps import AppConfig


class OkrsConfig(AppConfig):
    name = "okrcoach.okrs"
    label = "okrs"
    verbose_name = "OKRs"
