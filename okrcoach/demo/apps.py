from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "okrcoach.demo"
    label = "demo"
    verbose_name = "Demo data"
