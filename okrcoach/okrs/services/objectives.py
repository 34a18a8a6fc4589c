"""Objectives: create, edit (with its parent link), delete, carry over into a later cycle."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from okrcoach.core import bounds
from okrcoach.core.audit import audit
from okrcoach.orgs.access import ensure_same_org
from okrcoach.orgs.models import Membership, Team

from .. import coaching, comms_targets, permissions, rollup
from ..models import CheckIn, Cycle, KeyResult, Objective
from .versions import StaleEdit, update_at_version


@dataclass(frozen=True)
class ObjectiveData:
    """The editable fields of an objective, as a form or API schema delivers them."""

    title: str
    description: str = ""
    level: str = Objective.Level.TEAM
    team: Team | None = None
    owner: Membership | None = None
    type: str = Objective.Type.COMMITTED
    visibility: str = Objective.Visibility.PUBLIC
    weight: Decimal = Decimal("1")
    status: str = Objective.Status.DRAFT
    parent: Objective | None = None


def _check_objective(
    actor: Membership,
    data: ObjectiveData,
    cycle: Cycle,
    objective: Objective | None,
    chain: dict[int, int | None] | None = None,
) -> None:
    """`chain`: the parent links of the objectives locked for an edit (rollup.lock_objectives),
    the new parent's ancestors among them."""
    ensure_same_org(actor, cycle, data.team, data.owner, data.parent)
    errors = bounds.check(
        texts={"title": (data.title, 200)}, notes={"description": data.description}
    )
    owner = data.owner
    if (
        owner is not None
        and not owner.is_active
        and (objective is None or owner.pk != objective.owner_id)
    ):
        errors["owner"] = _("This person is deactivated; choose someone else.")
    if not cycle.is_editable:
        errors["cycle"] = _("This cycle is %(state)s: objectives can no longer change.") % {
            "state": cycle.get_state_display()
        }
    if data.level == Objective.Level.TEAM and data.team is None:
        errors["team"] = _("A team objective needs a team.")
    parent = data.parent
    if parent is not None:
        if chain is not None and parent.pk not in chain:
            errors["parent"] = _("This objective was deleted; align to another one.")
        elif parent.cycle_id != cycle.pk:
            errors["parent"] = _("An objective can only align to one in the same cycle.")
        elif objective is not None and objective.pk in _up_from(parent.pk, chain):
            errors["parent"] = _("This would make the objective align to itself.")
        elif parent.status == Objective.Status.ABANDONED:
            errors["parent"] = _("This objective was abandoned; align to another one.")
    # A child is never more visible than its parent: a public objective under a private one
    # would show the private one's place (and, once, its title) to everyone.
    public = data.visibility == Objective.Visibility.PUBLIC
    changed = objective is None or (
        parent_changed(objective, parent) or data.visibility != objective.visibility
    )
    if parent is not None and public and parent.is_private and changed and "parent" not in errors:
        errors["parent"] = _(
            "A public objective cannot align to a private one: make this one private too, "
            "or align it elsewhere."
        )
    if (
        objective is not None
        and not public
        and not objective.is_private
        and Objective.objects.for_org(actor.organisation)
        .filter(parent=objective, visibility=Objective.Visibility.PUBLIC)
        .exists()
    ):
        errors["visibility"] = _(
            "Public objectives align to this one: make them private first, or keep this public."
        )
    if errors:
        raise ValidationError(errors)
    # Keeping a link to a parent the editor may not see is allowed; choosing one is not.
    if (
        parent is not None
        and (objective is None or parent_changed(objective, parent))
        and not permissions.can_view_objective(actor, parent)
    ):
        raise ValidationError({"parent": _("Choose an objective you can see.")})


def _up_from(objective_id: int, chain: dict[int, int | None] | None) -> set[int]:
    """The objective and its ancestors: along the locked chain's parent links when given."""
    if chain is None:
        raise AssertionError("an edit locks the chain before its checks")
    found: set[int] = set()
    at: int | None = objective_id
    while at is not None and at not in found:
        found.add(at)
        at = chain[at]
    return found


def parent_changed(objective: Objective, parent: Objective | None) -> bool:
    return (parent.pk if parent is not None else None) != objective.parent_id


def prepare_objective(
    *,
    actor: Membership,
    cycle: Cycle,
    data: ObjectiveData,
    bulk: bool = False,
    review: bool = True,
) -> Objective:
    """Every check of `create_objective`, and the unsaved row it would save. `bulk` (the
    importer) skips the checks that query the database per row (related rows exist, unique
    constraints): the importer has looked those up for the whole file at once. `review=False`
    (the importer) leaves the coach's review pending: the caller queues it
    (tasks.review_imported_rows) in the transaction that saves the row."""
    owner = data.owner or actor
    if not permissions.may_own(actor, owner):
        raise PermissionDenied(_("You can create objectives for yourself and your reports only."))
    if not permissions.may_create_at_level(actor, data.level, data.team):
        raise PermissionDenied(_("Your role does not allow objectives at this level."))
    _check_objective(actor, data, cycle, None)
    objective = Objective(
        organisation=actor.organisation,
        cycle=cycle,
        title=data.title.strip(),
        description=data.description.strip(),
        level=data.level,
        team=data.team if data.level != Objective.Level.PERSONAL or data.team else owner.team,
        owner=owner,
        type=data.type,
        visibility=data.visibility,
        weight=data.weight,
        status=data.status,
        parent=data.parent,
    )
    if review:
        coaching.store_review(objective)
    else:
        coaching.mark_review_pending(objective)
    if bulk:
        objective.full_clean(
            exclude=["organisation", "cycle", "team", "owner", "parent"],
            validate_unique=False,
            validate_constraints=False,
        )
    else:
        objective.full_clean()
    return objective


@transaction.atomic
def create_objective(
    *, actor: Membership, cycle: Cycle, data: ObjectiveData, contributors: Sequence[Membership] = ()
) -> Objective:
    objective = prepare_objective(actor=actor, cycle=cycle, data=data)
    objective.save()
    if contributors:
        ensure_same_org(actor, *contributors)
        objective.contributors.set(contributors)
    if data.parent is not None:
        rollup.refresh_objectives(actor.organisation, objective_ids=[data.parent.pk])
    audit(actor, "okrs.objective.created", objective)
    return objective


_OBJECTIVE_FIELDS = (
    "title",
    "description",
    "level",
    "team",
    "owner",
    "type",
    "visibility",
    "weight",
    "status",
    "parent",
)


@rollup.retry_if_chain_moved
@transaction.atomic
def update_objective(
    *, actor: Membership, objective: Objective, version: int, data: ObjectiveData
) -> Objective:
    """Save the editor's fields if nobody saved since `version` was read; else StaleEdit.
    With a parent before or after, the objective and both chains above it are locked first
    (rollup._ONE_LOCK_ORDER), before the checks read the new parent's ancestors."""
    permissions.require_edit_objective(actor, objective)
    owner = data.owner or objective.owner
    if owner.pk != objective.owner_id and not permissions.may_own(actor, owner):
        raise PermissionDenied(_("You can hand objectives only to yourself and your reports."))
    # Moving an objective to another team (or level) needs the right to create it there: a team
    # lead cannot hand her team's objective to a team she does not lead.
    new_team_id = data.team.pk if data.team is not None else None
    moved = data.level != objective.level or new_team_id != objective.team_id
    if moved and not permissions.may_create_at_level(actor, data.level, data.team):
        raise PermissionDenied(_("Your role does not allow objectives at this level."))
    old_parent_id = objective.parent_id
    parents = {pk for pk in (old_parent_id, data.parent.pk if data.parent else None) if pk}
    # Neither parent: the edit writes only its own row and no roll-up follows.
    chain = (
        rollup.lock_objectives(actor.organisation, [objective.pk, *parents]) if parents else None
    )
    _check_objective(actor, data, objective.cycle, objective, chain)
    before = {f: str(getattr(objective, f)) for f in _OBJECTIVE_FIELDS}
    for field in _OBJECTIVE_FIELDS:
        setattr(objective, field, getattr(data, field))
    objective.title, objective.description = data.title.strip(), data.description.strip()
    objective.owner = owner
    coaching.store_review(objective, coaching.dismissed_for(objective))
    objective.full_clean()
    columns = {
        f"{f}_id" if f in ("team", "owner", "parent") else f: getattr(
            objective, f"{f}_id" if f in ("team", "owner", "parent") else f
        )
        for f in _OBJECTIVE_FIELDS
    }
    saved = update_at_version(
        Objective.objects.for_org(actor.organisation),
        objective,
        version,
        **columns,
        coach_verdict=objective.coach_verdict,
        coach_rules=objective.coach_rules,
    )
    if not saved:
        raise StaleEdit(
            Objective.objects.for_org(actor.organisation)
            .hiding_parents_from(actor)
            .select_related("owner__user", "team", "parent")
            .get(pk=objective.pk)
        )
    objective.version = version + 1
    touched = {pk for pk in (old_parent_id, objective.parent_id) if pk}
    if touched:
        rollup.refresh_objectives(actor.organisation, objective_ids=touched)
    audit(actor, "okrs.objective.updated", objective, data={"before": before})
    if before["status"] != str(objective.status):
        objective.organisation = actor.organisation
        labels = dict(Objective.Status.choices)
        comms_targets.objective_status_changed(
            actor=actor,
            objective=objective,
            change=f"{labels.get(before['status'], before['status'])} → "
            f"{labels.get(objective.status, objective.status)}",
        )
    return objective


@rollup.retry_if_chain_moved
@transaction.atomic
def delete_objective(*, actor: Membership, objective: Objective) -> None:
    """Only an objective nobody has checked in on can go; the others are abandoned instead, so
    their history stays. What the deletion writes (its children lose their parent) and rolls
    up (its parent, the objectives counting its key results, their ancestors) is locked first
    (rollup._ONE_LOCK_ORDER)."""
    permissions.require_edit_objective(actor, objective)
    if CheckIn.objects.for_org(actor.organisation).filter(key_result__objective=objective).exists():
        raise ValidationError(
            {"status": _("This objective has check-ins: mark it abandoned instead of deleting it.")}
        )
    # Key results before objectives, as every writer locks them (rollup._ONE_LOCK_ORDER): the
    # deletion removes its key results after the chain is locked.
    list(
        KeyResult.objects.for_org(actor.organisation)
        .filter(objective=objective)
        .select_for_update()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chain = rollup.lock_objectives(actor.organisation, (), dependants_of=[objective.pk])
    # Its children keep their progress (they lost a parent, not a key result).
    touched = [pk for pk, parent in chain.items() if objective.pk not in (pk, parent)]
    audit(actor, "okrs.objective.deleted", objective)
    objective.delete()
    if touched:
        rollup.refresh_objectives(actor.organisation, objective_ids=touched)


def _carried_baseline(kr: KeyResult) -> Decimal | None:
    """Where the copy starts: the old one's last value while it still falls short of the target;
    past it, the old baseline, so the copy keeps a target ahead of its baseline (and starts met)."""
    current, target = kr.current_value, kr.target
    if current is None or target is None:
        return kr.baseline if current is None else current
    increase = kr.direction == KeyResult.Direction.INCREASE
    short = current < target if increase else current > target
    return current if short else kr.baseline


@transaction.atomic
def carry_over_objective(*, actor: Membership, objective: Objective, to_cycle: Cycle) -> Objective:
    """Copy an unfinished objective and its key results into a later cycle as a draft linked to
    the original; each copied key result starts from where the old one ended."""
    permissions.require_edit_objective(actor, objective)
    ensure_same_org(actor, to_cycle)
    if to_cycle.starts_on <= objective.cycle.starts_on:
        raise ValidationError({"cycle": _("Carry an objective forward into a later cycle.")})
    if not to_cycle.is_editable:
        raise ValidationError({"cycle": _("That cycle no longer accepts objectives.")})
    if objective.progress >= 1:
        raise ValidationError({"cycle": _("This objective is finished; nothing to carry over.")})
    copy = Objective(
        organisation=actor.organisation,
        cycle=to_cycle,
        title=objective.title,
        description=objective.description,
        level=objective.level,
        team=objective.team,
        owner=objective.owner,
        type=objective.type,
        visibility=objective.visibility,
        weight=objective.weight,
        status=Objective.Status.DRAFT,
        carried_from=objective,
    )
    coaching.store_review(copy)
    copy.save()
    krs = []
    for kr in objective.key_results.all():
        new = KeyResult(
            organisation=actor.organisation,
            objective=copy,
            title=kr.title,
            owner=kr.owner,
            weight=kr.weight,
            data_source=kr.data_source,
            kr_type=kr.kr_type,
            unit_kind=kr.unit_kind,
            unit_label=kr.unit_label,
            direction=kr.direction,
            baseline=_carried_baseline(kr),
            target=kr.target,
            stretch=kr.stretch,
            commit_label=kr.commit_label,
            target_label=kr.target_label,
            stretch_label=kr.stretch_label,
            current_value=kr.current_value,
            position=kr.position,
        )
        result = rollup.recompute_key_result(new)
        new.progress, new.progress_raw = result.progress, result.raw
        coaching.store_review(new)
        krs.append(new)
    KeyResult.objects.for_org(actor.organisation).bulk_create(krs)
    rollup.refresh_objectives(actor.organisation, objective_ids=[copy.pk])
    audit(actor, "okrs.objective.carried_over", copy, data={"from": str(objective.public_id)})
    return copy
