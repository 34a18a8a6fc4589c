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
