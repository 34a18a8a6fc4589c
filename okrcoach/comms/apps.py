from django.apps import AppConfig


class CommsConfig(AppConfig):
    name = "okrcoach.comms"
    label = "comms"
    verbose_name = "Communication"
