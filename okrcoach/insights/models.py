"""What insights stores: per organisation, whether it holds demo data and the last training-impact
computation (the nightly task refreshes it; pages show when it was computed)."""

from __future__ import annotations

from typing import Any

from django.db import models

from okrcoach.core.tenancy import OrgOwned


class InsightsState(OrgOwned):
    is_demo = models.BooleanField(default=False)
    impact: models.JSONField[dict[str, Any]] = models.JSONField(default=dict, blank=True)
    impact_computed_at = models.DateTimeField(null=True, blank=True)
    impact_seconds = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="insights_state_one_per_org")
        ]

    def __str__(self) -> str:
        return f"Insights of {self.organisation_id}"


class CycleSnapshot(OrgOwned):
    """The organisation-wide figures of one cycle, precomputed so the executive and admin views
    never read every key result live: status counts by department, check-in regularity, OKR
    quality, alignment coverage, the weekly trend, past cycles, training coverage and the
    organisation's calibration (snapshots.py documents `data`). A check-in refreshes its team's
    row and moves these totals by the difference; the nightly task recomputes everything."""

    cycle = models.ForeignKey("okrs.Cycle", on_delete=models.CASCADE, related_name="+")
    data: models.JSONField[dict[str, Any]] = models.JSONField(default=dict)
    computed_at = models.DateTimeField()  # the last write, full or incremental
    full_at = models.DateTimeField()  # the last full recomputation
    computed_for = models.DateField()  # the day the pace statuses were taken for
    seconds = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "cycle"], name="insights_cycle_snapshot_one"
            )
        ]

    def __str__(self) -> str:
        return f"Snapshot of cycle {self.cycle_id}"


class TeamSnapshot(OrgOwned):
    """One team's counters in a cycle (team_key 0: people without a team). `dept_key` is the
    department the team rolled up to at the last full computation."""

    cycle = models.ForeignKey("okrs.Cycle", on_delete=models.CASCADE, related_name="+")
    team_key = models.BigIntegerField()
    dept_key = models.BigIntegerField(default=0)
    data: models.JSONField[dict[str, Any]] = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "cycle", "team_key"], name="insights_team_snapshot_one"
            )
        ]

    def __str__(self) -> str:
        return f"Team {self.team_key} in cycle {self.cycle_id}"
