from django.apps import AppConfig


class OkrsConfig(AppConfig):
    name = "okrcoach.okrs"
    label = "okrs"
    verbose_name = "OKRs"

    def ready(self) -> None:
        # Home (orgs) shows what the member owes this week; orgs cannot import okrs, so okrs
        # hands it the panel.
        from okrcoach.orgs.home import register_home_panel
        from okrcoach.orgs.person_panels import register_person_panel

        from . import comms_targets, reminders
        from .selectors.accountability import owed_this_week
        from .selectors.pages import person_objectives

        # comms comes first in the import order: okrs hands it its targets, its visibility
        # rule, its digest section and its reminders.
        comms_targets.register()
        reminders.register()

        register_home_panel(
            template="okrs/partials/owed.html", context=lambda m: {"owed": owed_this_week(m)}
        )
        # A person's page shows their OKRs (those the viewer may see).
        register_person_panel(
            template="okrs/partials/person_okrs.html",
            context=lambda viewer, person: {"person_okrs": person_objectives(viewer, person)},
        )
