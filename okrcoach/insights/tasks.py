"""Insights background work: the nightly training-impact computation for every organisation.
Run by the worker's schedule or by cron through `manage.py compute_insights`."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def compute_training_impact_nightly() -> int:
    """Returns how many organisations were computed."""
    from okrcoach.orgs.models import Organisation

    count = 0
    for organisation in Organisation.objects.order_by("pk"):
        services.compute_training_impact(organisation=organisation)
        count += 1
    return count
