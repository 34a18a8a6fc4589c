"""Insights background work: nightly for every organisation, the cycle snapshots of its active
cycles (the executive views read them) and the training-impact computation, run by the worker's
schedule or by cron through `manage.py compute_insights`; and after each write to key results
or objectives, the recount of the teams it touched (queued by signals.py)."""

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


@task()
def refresh_key_result_snapshots(*, organisation_id: int, key_result_ids: list[int]) -> None:
    """Recount the snapshot rows of the teams owning these key results (after a check-in)."""
    snapshots.refresh_for_key_results(organisation_id, key_result_ids)


@task()
def refresh_team_snapshots(*, organisation_id: int, cycle_id: int, team_keys: list[int]) -> None:
    """Recount these teams of the cycle (after check-ins: signals.check_in_recorded)."""
    from okrcoach.orgs.models import Organisation

    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is not None:
        snapshots.refresh_teams(organisation, cycle_id, team_keys)


@task()
def refresh_objective_snapshots(*, organisation_id: int, objective_id: int) -> None:
    """Recount the snapshot rows of an objective's team and of its key results' owners."""
    snapshots.refresh_for_objective(organisation_id, objective_id)
