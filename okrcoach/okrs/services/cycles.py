"""Cycles: open one, and move it planning → active → grading → closed."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from okrcoach.core.audit import audit
from okrcoach.orgs.access import ensure_same_org, require_admin
from okrcoach.orgs.models import Membership, Organisation

from .. import comms_targets, progress
from ..models import Cycle, KeyResult, Objective
from .grading import objective_score

NEXT_STATE = {
    Cycle.State.PLANNING: Cycle.State.ACTIVE,
    Cycle.State.ACTIVE: Cycle.State.GRADING,
    Cycle.State.GRADING: Cycle.State.CLOSED,
}


# A cycle starting more than this long ago, or ending more than this long ago, is most likely a
# typo (2019 for 2026): the admin is warned and must confirm.
OLD_START_DAYS = 2 * 365
OLD_END_DAYS = 365


def cycle_warnings(
    organisation: Organisation,
    *,
    kind: str,
    starts_on: date,
    ends_on: date,
    exclude: Cycle | None = None,
    today: date | None = None,
) -> list[str]:
    """What an admin should confirm before saving these dates (not errors): a start more than
    two years back, an end more than a year back, an overlap with an active cycle of the same
    kind (a quarter inside the year is normal; two overlapping quarters are not)."""
    today = today or timezone.localdate()
    warnings = []
    if starts_on < today - timedelta(days=OLD_START_DAYS):
        warnings.append(
            _("It starts on %(d)s, more than two years ago.")
            % {"d": date_format(starts_on, "j M Y")}
        )
    if ends_on < today - timedelta(days=OLD_END_DAYS):
        warnings.append(
            _("It ended on %(d)s, more than a year ago.") % {"d": date_format(ends_on, "j M Y")}
        )
    overlapping = Cycle.objects.for_org(organisation).filter(
        state=Cycle.State.ACTIVE, kind=kind, starts_on__lt=ends_on, ends_on__gt=starts_on
    )
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude.pk)
    for other in overlapping:
        warnings.append(
            _("It overlaps the active cycle %(name)s (%(a)s–%(b)s).")
            % {
                "name": other.name,
                "a": date_format(other.starts_on, "j M Y"),
                "b": date_format(other.ends_on, "j M Y"),
            }
        )
    return warnings


def _check_dates(
    actor: Membership,
    *,
    kind: str,
    starts_on: date,
    ends_on: date,
    confirmed: bool,
    exclude: Cycle | None = None,
) -> None:
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("A cycle must end after it starts.")})
    if not confirmed:
        warnings = cycle_warnings(
            actor.organisation, kind=kind, starts_on=starts_on, ends_on=ends_on, exclude=exclude
        )
        if warnings:
            raise ValidationError({"confirmed": warnings}, code=NEEDS_CONFIRMATION)


NEEDS_CONFIRMATION = "needs_confirmation"


@transaction.atomic
def create_cycle(
    *,
    actor: Membership,
    name: str,
    kind: str,
    starts_on: date,
    ends_on: date,
    confirmed: bool = False,
) -> Cycle:
    """Refused (errors keyed "confirmed") until `confirmed` when `cycle_warnings` has any."""
    require_admin(actor)
    cycle = Cycle(
        organisation=actor.organisation, name=name, kind=kind, starts_on=starts_on, ends_on=ends_on
    )
    _check_dates(actor, kind=kind, starts_on=starts_on, ends_on=ends_on, confirmed=confirmed)
    cycle.full_clean()
    cycle.save()
    audit(actor, "okrs.cycle.created", cycle, data={"confirmed_warnings": confirmed})
    return cycle


@transaction.atomic
def update_cycle(
    *,
    actor: Membership,
    cycle: Cycle,
    name: str,
    kind: str,
    starts_on: date,
    ends_on: date,
    confirmed: bool = False,
) -> Cycle:
    """Rename a cycle or move its dates (not once closed); the same warnings as creating."""
    require_admin(actor)
    ensure_same_org(actor, cycle)
    if cycle.state == Cycle.State.CLOSED:
        raise ValidationError({"starts_on": _("A closed cycle cannot change.")})
    _check_dates(
        actor, kind=kind, starts_on=starts_on, ends_on=ends_on, confirmed=confirmed, exclude=cycle
    )
    before = {"name": cycle.name, "starts_on": str(cycle.starts_on), "ends_on": str(cycle.ends_on)}
    cycle.name, cycle.kind, cycle.starts_on, cycle.ends_on = name, kind, starts_on, ends_on
    cycle.full_clean()
    cycle.save(update_fields=["name", "kind", "starts_on", "ends_on"])
    audit(actor, "okrs.cycle.changed", cycle, data={"before": before})
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
    # Locked as read, key results before objectives, each in primary-key order: the order a
    # check-in's roll-up and every other writer take them in (rollup._ONE_LOCK_ORDER), where a
    # bulk UPDATE alone locks its rows in whatever order the plan scans them.
    krs = list(
        KeyResult.objects.for_org(org)
        .filter(objective__cycle=cycle, score__isnull=True)
        .select_for_update(no_key=True, of=("self",))
        .order_by("pk")
    )
    for kr in krs:
        kr.score = progress.default_score(kr.progress)
    KeyResult.objects.for_org(org).bulk_update(krs, ["score"], batch_size=500)
    objectives = list(
        Objective.objects.for_org(org)
        .filter(cycle=cycle)
        .select_for_update(no_key=True)
        .order_by("pk")
        .prefetch_related("key_results")
    )
    for objective in objectives:
        objective.score = objective_score(list(objective.key_results.all()))
    Objective.objects.for_org(org).bulk_update(objectives, ["score"], batch_size=500)
    return objectives
