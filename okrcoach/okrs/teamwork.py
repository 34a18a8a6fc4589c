"""Writes for working across people and teams: an objective's contributors and the key results
of other teams it counts. Same rules as services.py: acting membership first, one transaction,
an audit row inside it."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from okrcoach.core.audit import audit
from okrcoach.orgs.access import ensure_same_org
from okrcoach.orgs.models import Membership

from . import permissions, rollup
from .models import ContributionLink, Objective


@transaction.atomic
def set_contributors(
    *, actor: Membership, objective: Objective, contributors: Sequence[Membership]
) -> Objective:
    """Replace the objective's contributors; the owner is never listed as one."""
    permissions.require_edit_objective(actor, objective)
    ensure_same_org(actor, objective, *contributors)
    chosen = [m for m in contributors if m.pk != objective.owner_id]
    objective.contributors.set(chosen)
    audit(
        actor,
        "okrs.objective.contributors_changed",
        objective,
        data={"contributors": [str(m.public_id) for m in chosen]},
    )
    return objective


@transaction.atomic
def unlink_contribution(*, actor: Membership, link: ContributionLink) -> None:
    """Stop counting another team's key result in this objective, and roll the change up."""
    ensure_same_org(actor, link)
    objective = link.objective
    permissions.require_edit_objective(actor, objective)
    audit(actor, "okrs.contribution.unlinked", link)
    link.delete()
    rollup.refresh_objectives(actor.organisation, objective_ids=[objective.pk])
