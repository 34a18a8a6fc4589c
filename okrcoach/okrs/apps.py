from django.apps import AppConfig


class OkrsConfig(AppConfig):
    name = "okrcoach.okrs"
    label = "okrs"
    verbose_name = "OKRs"

    def seed_demo(self) -> None:
        """Called by `manage.py seed_demo` after the demo people exist."""
        from .demo import seed_okrs

        seed_okrs()
