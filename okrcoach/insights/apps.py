from __future__ import annotations

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "okrcoach.insights"
    label = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        # Home (orgs) becomes a dashboard per role: orgs cannot import insights, so insights hands
        # it the panels (okrcoach/orgs/home.py).
        from django.db.models.signals import post_save

        from okrcoach.okrs.models import KeyResult, Objective
        from okrcoach.okrs.signals import check_in_recorded, key_results_changed
        from okrcoach.orgs.home import register_home_panel

        from . import dashboards, signals

        post_save.connect(signals.key_result_saved, sender=KeyResult, dispatch_uid="ins-kr")
        post_save.connect(signals.objective_saved, sender=Objective, dispatch_uid="ins-obj")
        key_results_changed.connect(signals.key_results_changed, dispatch_uid="ins-bulk")
        check_in_recorded.connect(signals.check_in_recorded, dispatch_uid="ins-check-in")

        register_home_panel(
            template="insights/partials/home_dashboard.html",
            context=lambda m: {"dashboard": dashboards.home_dashboard(m)},
        )
