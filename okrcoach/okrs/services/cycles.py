"""Cycles: open one, and move it planning → active → grading → closed."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from okrcoach.core.audit import audit
from okrcoach.orgs.access import ensure_same_org, require_admin
from okrcoach.orgs.models import Membership

from .. import comms_targets, progress
from ..models import Cycle, KeyResult, Objective
from .grading import objective_score

NEXT_STATE = {
    Cycle.State.PLANNING: Cycle.State.ACTIVE,
    Cycle.State.ACTIVE: Cycle.State.GRADING,
    Cycle.State.GRADING: Cycle.State.CLOSED,
}


@transaction.atomic
def create_cycle(
    *, actor: Membership, name: str, kind: str, starts_on: date, ends_on: date
) -> Cycle:
    require_admin(actor)
    cycle = Cycle(
        organisation=actor.organisation, name=name, kind=kind, starts_on=starts_on, ends_on=ends_on
    )
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("A cycle must end after it starts.")})
    cycle.full_clean()
    cycle.save()
    audit(actor, "okrs.cycle.created", cycle)
    return cycle


@transaction.atomic
def advance_cycle(*, actor: Membership, cycle: Cycle, to_state: str) -> Cycle:
    """planning → active → grading → closed, one step at a time. Closing fills in every grade
    nobody set (the final progress), so a closed cycle's scores are complete and frozen."""
    require_admin(actor)
    ensure_same_org(actor, cycle)
    if NEXT_STATE.get(cycle.state) != to_state:  # type: ignore[call-overload]
        raise ValidationError(
            {
                "state": _("A %(from)s cycle cannot move to %(to)s.")
                % {"from": cycle.state, "to": to_state}
            }
        )
    if to_state == Cycle.State.CLOSED:
        objectives = _fill_missing_grades(actor, cycle)
        comms_targets.objectives_closed(
            actor=actor,
            objectives=[o for o in objectives if o.status == Objective.Status.PUBLISHED],
        )
    before = cycle.state
    cycle.state = to_state
    cycle.save(update_fields=["state"])
    audit(actor, f"okrs.cycle.{to_state}", cycle, data={"from": before})
    return cycle


def _fill_missing_grades(actor: Membership, cycle: Cycle) -> list[Objective]:
    org = actor.organisation
    krs = list(KeyResult.objects.for_org(org).filter(objective__cycle=cycle, score__isnull=True))
    for kr in krs:
        kr.score = progress.default_score(kr.progress)
    KeyResult.objects.for_org(org).bulk_update(krs, ["score"], batch_size=500)
    objectives = list(
        Objective.objects.for_org(org).filter(cycle=cycle).prefetch_related("key_results")
    )
    for objective in objectives:
        objective.score = objective_score(list(objective.key_results.all()))
    Objective.objects.for_org(org).bulk_update(objectives, ["score"], batch_size=500)
    return objectives
