"""Academy background work: assignment reminders and refresher emails. Run by the worker's
schedule or by cron through `manage.py send_academy_reminders`; safe to run any number of times
a day."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from . import services


@task()
def send_academy_reminders(*, today: str | None = None) -> int:
    """Queue due-soon and overdue reminder emails; returns how many were queued. A second run
    on the same day sends nothing: each (target, kind, day) is recorded once."""
    day = dt.date.fromisoformat(today) if today else None
    return services.send_assignment_reminders(today=day)


@task()
def send_refresher_reminders(*, today: str | None = None) -> int:
    """Email learners whose refresher questions are due; at most one email a learner a day."""
    day = dt.date.fromisoformat(today) if today else None
    return services.send_refresher_reminders(today=day)


@task()
def sync_product_evidence() -> int:
    """The nightly pass over every organisation: each active learner's field assignments catch
    up with their work in the product. Returns how many learners were looked at."""
    from okrcoach.orgs.models import Membership

    from .models import Enrollment

    learners = Membership.all_orgs.filter(
        is_active=True,
        pk__in=Enrollment.all_orgs.filter(completed_at__isnull=True).values("membership_id"),
    ).select_related("organisation")
    count = 0
    for membership in learners:
        services.sync_product_evidence(membership=membership)
        count += 1
    return count
