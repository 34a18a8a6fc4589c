"""Insights background work, nightly for every organisation: the cycle snapshots of its active
cycles (the executive views read them) and the training-impact computation. Run by the worker's
schedule or by cron through `manage.py compute_insights`."""

from __future__ import annotations

from django_tasks import task

from . import services, snapshots


@task()
def compute_training_impact_nightly() -> int:
    """Returns how many organisations were computed."""
    from okrcoach.orgs.models import Organisation

    count = 0
    for organisation in Organisation.objects.order_by("pk"):
        snapshots.compute_organisation(organisation)
        services.compute_training_impact(organisation=organisation)
        count += 1
    return count
