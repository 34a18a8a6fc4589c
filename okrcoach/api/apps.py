from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "okrcoach.api"
    label = "api"
    verbose_name = "API"
