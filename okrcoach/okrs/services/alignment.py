"""Alignment across people and teams: an objective's contributors, and the key results of other
teams it counts (contribution links). The parent link is part of the objective's own fields
(objectives.py)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from okrcoach.core.audit import audit
from okrcoach.orgs.access import ensure_same_org
from okrcoach.orgs.models import Membership

from .. import permissions, rollup
from ..models import ContributionLink, KeyResult, Objective
from . import key_results


@transaction.atomic
def link_contribution(
    *,
    actor: Membership,
    objective: Objective,
    key_result: KeyResult,
    weight: Decimal = Decimal("1"),
) -> ContributionLink:
    permissions.require_edit_objective(actor, objective)
    ensure_same_org(actor, key_result)
    if key_result.objective_id == objective.pk:
        raise ValidationError(
            {"key_result": _("This key result already belongs to the objective.")}
        )
    if key_result.objective.cycle_id != objective.cycle_id:
        raise ValidationError({"key_result": _("Link key results of the same cycle only.")})
    if not permissions.can_view_objective(actor, key_result.objective):
        raise ValidationError({"key_result": _("Choose a key result you can see.")})
    # The key result's lock first (key results before objectives: rollup._ONE_LOCK_ORDER). The
    # roll-up below reads its progress; a check-in of it committed meanwhile would roll up
    # without seeing this uncommitted link, and the objective would keep the value before.
    # Locked, the check-in waits for the link's commit (its roll-up then counts the link), or
    # the link for the check-in's (and its roll-up reads the new value).
    key_results.lock_key_result(actor.organisation_id, key_result)
    link, _created = ContributionLink.objects.for_org(actor.organisation).update_or_create(
        organisation=actor.organisation,
        objective=objective,
        key_result=key_result,
        defaults={"weight": weight},
    )
    rollup.refresh_objectives(actor.organisation, objective_ids=[objective.pk])
    audit(actor, "okrs.contribution.linked", link)
    return link


@transaction.atomic
def unlink_contribution(*, actor: Membership, link: ContributionLink) -> None:
    """Stop counting another team's key result in this objective, and roll the change up."""
    ensure_same_org(actor, link)
    objective = link.objective
    permissions.require_edit_objective(actor, objective)
    audit(actor, "okrs.contribution.unlinked", link)
    link.delete()
    rollup.refresh_objectives(actor.organisation, objective_ids=[objective.pk])


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
