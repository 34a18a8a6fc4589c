from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "okrcoach.growth"
    label = "growth"
    verbose_name = "Growth"
