from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "okrcoach.orgs"
    label = "orgs"
    verbose_name = "Organisations"
