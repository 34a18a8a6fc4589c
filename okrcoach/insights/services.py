"""Insights writes: storing the training-impact computation."""

from __future__ import annotations

import time

from django.db import transaction
from django.utils import timezone

from okrcoach.core.audit import audit
from okrcoach.orgs.access import ensure_same_org, require_role
from okrcoach.orgs.models import Membership, Organisation, Role

from . import impact
from .models import InsightsState


def compute_training_impact(
    *, organisation: Organisation, actor: Membership | None = None, samples: int | None = None
) -> InsightsState:
    """Recompute and store the training-impact estimates. The nightly task calls it without an
    actor; an admin or executive may ask for it from the page (audited)."""
    if actor is not None:
        ensure_same_org(actor, organisation)
        require_role(actor, Role.ADMIN, Role.EXECUTIVE)
    result = impact.compute(organisation, samples=samples, clock=time.perf_counter)
    with transaction.atomic():
        state, _created = InsightsState.objects.for_org(organisation).get_or_create(
            organisation=organisation
        )
        state.impact = result
        state.impact_computed_at = timezone.now()
        state.impact_seconds = float(result["seconds"])
        state.save(update_fields=["impact", "impact_computed_at", "impact_seconds"])
        if actor is not None:
            audit(actor, "insights.impact_computed", state, data={"seconds": result["seconds"]})
    return state


def mark_demo(*, organisation: Organisation) -> InsightsState:
    """The demo seed marks its organisations, so views say they show demo data."""
    state, _created = InsightsState.objects.for_org(organisation).update_or_create(
        organisation=organisation, defaults={"is_demo": True}
    )
    return state
