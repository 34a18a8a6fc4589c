from __future__ import annotations

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "okrcoach.insights"
    label = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        # Home (orgs) becomes a dashboard per role: orgs cannot import insights, so insights hands
        # it the panels (okrcoach/orgs/home.py).
        from okrcoach.orgs.home import register_home_panel

        from . import dashboards

        register_home_panel(
            template="insights/partials/home_dashboard.html",
            context=lambda m: {"dashboard": dashboards.home_dashboard(m)},
        )
