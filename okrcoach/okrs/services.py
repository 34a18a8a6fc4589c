"""Writes for OKRs: one function per operation a user would name. Each takes the acting
membership first, runs in one transaction, writes its audit row inside it, and refuses with
`ValidationError` keyed by field (bad input, wrong state), `PermissionDenied` (not yours) or
`StaleEdit` (someone saved since the editor opened the form)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from okrcoach.core.audit import audit
from okrcoach.orgs.access import ensure_same_org, require_admin
from okrcoach.orgs.models import Membership, Organisation, Team

from . import coaching, permissions, progress, rollup
from .audit_actions import KEY_RESULT_GRADED
from .models import (
    CheckIn,
    ContributionLink,
    Cycle,
    Initiative,
    KeyResult,
    Objective,
    Retrospective,
    TeamSettings,
)

CORRECTION_WINDOW = timedelta(hours=24)
BULK_CHECK_IN_LIMIT = 500


class StaleEdit(Exception):
    """The row changed since the editor read it: `current` holds what is stored now."""

    def __init__(self, current: Objective | KeyResult) -> None:
        super().__init__("stale edit")
        self.current = current


# --- cycles ----------------------------------------------------------------------------------

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
        _fill_missing_grades(actor, cycle)
    before = cycle.state
    cycle.state = to_state
    cycle.save(update_fields=["state"])
    audit(actor, f"okrs.cycle.{to_state}", cycle, data={"from": before})
    return cycle


def _fill_missing_grades(actor: Membership, cycle: Cycle) -> None:
    org = actor.organisation
    krs = list(KeyResult.objects.for_org(org).filter(objective__cycle=cycle, score__isnull=True))
    for kr in krs:
        kr.score = progress.default_score(kr.progress)
    KeyResult.objects.for_org(org).bulk_update(krs, ["score"], batch_size=500)
    objectives = list(
        Objective.objects.for_org(org).filter(cycle=cycle).prefetch_related("key_results")
    )
    for objective in objectives:
        objective.score = _objective_score(list(objective.key_results.all()))
    Objective.objects.for_org(org).bulk_update(objectives, ["score"], batch_size=500)


# --- objectives ------------------------------------------------------------------------------


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
    actor: Membership, data: ObjectiveData, cycle: Cycle, objective: Objective | None
) -> None:
    ensure_same_org(actor, cycle, data.team, data.owner, data.parent)
    errors: dict[str, str] = {}
    if not cycle.is_editable:
        errors["cycle"] = _("This cycle is %(state)s: objectives can no longer change.") % {
            "state": cycle.get_state_display()
        }
    if data.level == Objective.Level.TEAM and data.team is None:
        errors["team"] = _("A team objective needs a team.")
    parent = data.parent
    if parent is not None:
        if parent.cycle_id != cycle.pk:
            errors["parent"] = _("An objective can only align to one in the same cycle.")
        elif objective is not None and objective.pk in rollup.ancestor_ids(
            actor.organisation, parent.pk
        ):
            errors["parent"] = _("This would make the objective align to itself.")
        elif parent.status == Objective.Status.ABANDONED:
            errors["parent"] = _("This objective was abandoned; align to another one.")
    if errors:
        raise ValidationError(errors)
    if parent is not None and not permissions.can_view_objective(actor, parent):
        raise ValidationError({"parent": _("Choose an objective you can see.")})


@transaction.atomic
def create_objective(
    *, actor: Membership, cycle: Cycle, data: ObjectiveData, contributors: Sequence[Membership] = ()
) -> Objective:
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
    coaching.store_review(objective)
    objective.full_clean()
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


@transaction.atomic
def update_objective(
    *, actor: Membership, objective: Objective, version: int, data: ObjectiveData
) -> Objective:
    """Save the editor's fields if nobody saved since `version` was read; else StaleEdit."""
    permissions.require_edit_objective(actor, objective)
    owner = data.owner or objective.owner
    if owner.pk != objective.owner_id and not permissions.may_own(actor, owner):
        raise PermissionDenied(_("You can hand objectives only to yourself and your reports."))
    if data.level != objective.level and not permissions.may_create_at_level(
        actor, data.level, data.team
    ):
        raise PermissionDenied(_("Your role does not allow objectives at this level."))
    _check_objective(actor, data, objective.cycle, objective)
    old_parent_id = objective.parent_id
    before = {f: str(getattr(objective, f)) for f in _OBJECTIVE_FIELDS}
    for field in _OBJECTIVE_FIELDS:
        setattr(objective, field, getattr(data, field))
    objective.title, objective.description = data.title.strip(), data.description.strip()
    objective.owner = owner
    coaching.store_review(objective)
    objective.full_clean()
    columns = {
        f"{f}_id" if f in ("team", "owner", "parent") else f: getattr(
            objective, f"{f}_id" if f in ("team", "owner", "parent") else f
        )
        for f in _OBJECTIVE_FIELDS
    }
    # A conditional UPDATE is the optimistic lock: it matches no row once someone else saved.
    updated = (
        Objective.objects.for_org(actor.organisation)
        .filter(pk=objective.pk, version=version)
        .update(
            **columns,
            coach_verdict=objective.coach_verdict,
            coach_rules=objective.coach_rules,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
    )
    if updated == 0:
        raise StaleEdit(
            Objective.objects.for_org(actor.organisation)
            .select_related("owner__user", "team", "parent")
            .get(pk=objective.pk)
        )
    objective.version = version + 1
    touched = {pk for pk in (old_parent_id, objective.parent_id) if pk}
    if touched:
        rollup.refresh_objectives(actor.organisation, objective_ids=touched)
    audit(actor, "okrs.objective.updated", objective, data={"before": before})
    return objective


@transaction.atomic
def delete_objective(*, actor: Membership, objective: Objective) -> None:
    """Only an objective nobody has checked in on can go; the others are abandoned instead, so
    their history stays."""
    permissions.require_edit_objective(actor, objective)
    if CheckIn.objects.for_org(actor.organisation).filter(key_result__objective=objective).exists():
        raise ValidationError(
            {"status": _("This objective has check-ins: mark it abandoned instead of deleting it.")}
        )
    parent_id = objective.parent_id
    audit(actor, "okrs.objective.deleted", objective)
    objective.delete()
    if parent_id:
        rollup.refresh_objectives(actor.organisation, objective_ids=[parent_id])


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
            baseline=kr.current_value if kr.current_value is not None else kr.baseline,
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
    link, _created = ContributionLink.objects.for_org(actor.organisation).update_or_create(
        organisation=actor.organisation,
        objective=objective,
        key_result=key_result,
        defaults={"weight": weight},
    )
    rollup.refresh_objectives(actor.organisation, objective_ids=[objective.pk])
    audit(actor, "okrs.contribution.linked", link)
    return link


# --- key results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyResultData:
    title: str
    owner: Membership | None = None
    kr_type: str = KeyResult.KRType.METRIC
    unit_kind: str = KeyResult.UnitKind.NUMBER
    unit_label: str = ""
    direction: str = KeyResult.Direction.INCREASE
    baseline: Decimal | None = None
    target: Decimal | None = None
    stretch: Decimal | None = None
    commit_label: str = ""
    target_label: str = ""
    stretch_label: str = ""
    weight: Decimal = Decimal("1")
    data_source: str = ""


def _check_key_result(data: KeyResultData) -> None:
    errors: dict[str, str] = {}
    if data.kr_type == KeyResult.KRType.METRIC:
        increase = data.direction == KeyResult.Direction.INCREASE
        if data.target is None:
            errors["target"] = _("A metric key result needs a target.")
        elif data.baseline is not None:
            if increase and data.target <= data.baseline:
                errors["target"] = _("To increase, the target must be above the baseline.")
            elif not increase and data.target >= data.baseline:
                errors["target"] = _("To decrease, the target must be below the baseline.")
        if (
            data.stretch is not None
            and data.target is not None
            and (
                (increase and data.stretch <= data.target)
                or (not increase and data.stretch >= data.target)
            )
        ):
            errors["stretch"] = _("The stretch goal must go beyond the target.")
    elif data.kr_type == KeyResult.KRType.ORDINAL:
        for field in ("commit_label", "target_label"):
            if not getattr(data, field).strip():
                errors[field] = _("Describe this level.")
    if errors:
        raise ValidationError(errors)


def _kr_fields(data: KeyResultData) -> dict[str, Any]:
    fields = {f: getattr(data, f) for f in KeyResultData.__dataclass_fields__ if f != "owner"}
    fields["title"] = data.title.strip()
    return fields


@transaction.atomic
def create_key_result(*, actor: Membership, objective: Objective, data: KeyResultData) -> KeyResult:
    permissions.require_edit_objective(actor, objective)
    owner = data.owner or objective.owner
    ensure_same_org(actor, objective, owner)
    if not objective.cycle.is_editable:
        raise ValidationError({"title": _("This cycle no longer accepts new key results.")})
    _check_key_result(data)
    kr = KeyResult(
        organisation=actor.organisation, objective=objective, owner=owner, **_kr_fields(data)
    )
    coaching.store_review(kr)
    kr.full_clean()
    kr.save()
    rollup.refresh_objectives(actor.organisation, objective_ids=[objective.pk])
    audit(actor, "okrs.key_result.created", kr)
    return kr


@transaction.atomic
def update_key_result(
    *, actor: Membership, key_result: KeyResult, version: int, data: KeyResultData
) -> KeyResult:
    permissions.require_edit_objective(actor, key_result.objective)
    owner = data.owner or key_result.owner
    ensure_same_org(actor, owner)
    _check_key_result(data)
    before = {
        "title": key_result.title,
        "target": str(key_result.target),
        "baseline": str(key_result.baseline),
    }
    fields = _kr_fields(data)
    for name, value in fields.items():
        setattr(key_result, name, value)
    key_result.owner = owner
    result = rollup.recompute_key_result(key_result)
    key_result.progress, key_result.progress_raw = result.progress, result.raw
    coaching.store_review(key_result)
    key_result.full_clean()
    updated = (
        KeyResult.objects.for_org(actor.organisation)
        .filter(pk=key_result.pk, version=version)
        .update(
            **fields,
            owner=owner,
            progress=result.progress,
            progress_raw=result.raw,
            coach_verdict=key_result.coach_verdict,
            coach_rules=key_result.coach_rules,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
    )
    if updated == 0:
        raise StaleEdit(KeyResult.objects.for_org(actor.organisation).get(pk=key_result.pk))
    key_result.version = version + 1
    rollup.refresh_objectives(
        actor.organisation, objective_ids=[key_result.objective_id], key_result_id=key_result.pk
    )
    audit(actor, "okrs.key_result.updated", key_result, data={"before": before})
    return key_result


@transaction.atomic
def delete_key_result(*, actor: Membership, key_result: KeyResult) -> None:
    """Only a key result without check-ins can go, so no history is lost."""
    permissions.require_edit_objective(actor, key_result.objective)
    if CheckIn.objects.for_org(actor.organisation).filter(key_result=key_result).exists():
        raise ValidationError({"key_result": _("This key result has check-ins; keep it.")})
    touched = {key_result.objective_id}
    touched.update(
        ContributionLink.objects.for_org(actor.organisation)
        .filter(key_result=key_result)
        .values_list("objective_id", flat=True)
    )
    audit(actor, "okrs.key_result.deleted", key_result)
    key_result.delete()
    rollup.refresh_objectives(actor.organisation, objective_ids=touched)


@transaction.atomic
def create_initiative(
    *, actor: Membership, key_result: KeyResult, title: str, owner: Membership | None = None
) -> Initiative:
    permissions.require_check_in(actor, key_result)
    ensure_same_org(actor, owner)
    initiative = Initiative(
        organisation=actor.organisation,
        key_result=key_result,
        title=title.strip(),
        owner=owner or actor,
    )
    initiative.full_clean()
    initiative.save()
    audit(actor, "okrs.initiative.created", initiative)
    return initiative


@transaction.atomic
def set_initiative_status(*, actor: Membership, initiative: Initiative, status: str) -> Initiative:
    permissions.require_check_in(actor, initiative.key_result)
    if status not in Initiative.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    initiative.status = status
    initiative.save(update_fields=["status"])
    audit(actor, "okrs.initiative.status_changed", initiative, data={"status": status})
    return initiative


# --- check-ins -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckInData:
    confidence: int
    value: Decimal | None = None
    milestone_done: bool | None = None
    ordinal_level: int | None = None
    progress_note: str = ""
    plans_note: str = ""
    problems_note: str = ""


def _cadence_team_id(key_result: KeyResult) -> int | None:
    return key_result.objective.team_id or key_result.owner.team_id


def team_cadences(organisation: Organisation, team_ids: Iterable[int | None]) -> dict[int, int]:
    """Per-team cadence overrides for these teams: one query."""
    wanted = {t for t in team_ids if t}
    if not wanted:
        return {}
    return dict(
        TeamSettings.objects.for_org(organisation)
        .filter(team_id__in=wanted, check_in_cadence_days__isnull=False)
        .values_list("team_id", "check_in_cadence_days")
    )


def cadence_days(
    organisation: Organisation, key_result: KeyResult, overrides: dict[int, int] | None = None
) -> int:
    """The team's override, else the organisation's cadence. At most one query, none when the
    caller passes the overrides it fetched for a batch."""
    team_id = _cadence_team_id(key_result)
    if overrides is None:
        overrides = team_cadences(organisation, [team_id])
    return (overrides.get(team_id) if team_id else None) or organisation.check_in_cadence_days


def _check_check_in(key_result: KeyResult, data: CheckInData) -> None:
    errors: dict[str, str] = {}
    if not 0 <= data.confidence <= 10:
        errors["confidence"] = _("Confidence runs from 0 to 10.")
    kind = key_result.kr_type
    if kind == KeyResult.KRType.METRIC and data.value is None:
        errors["value"] = _("Enter the current value.")
    if kind == KeyResult.KRType.MILESTONE and data.milestone_done is None:
        errors["milestone_done"] = _("Say whether the milestone is done.")
    if kind == KeyResult.KRType.ORDINAL and data.ordinal_level not in KeyResult.Level.values:
        errors["ordinal_level"] = _("Choose the level reached.")
    if errors:
        raise ValidationError(errors)


def _apply_check_in_to_kr(key_result: KeyResult, data: CheckInData) -> progress.KRProgress:
    if key_result.kr_type == KeyResult.KRType.METRIC:
        key_result.current_value = data.value
    elif key_result.kr_type == KeyResult.KRType.MILESTONE:
        key_result.milestone_done = bool(data.milestone_done)
    else:
        key_result.ordinal_level = int(data.ordinal_level or 0)
    result = rollup.recompute_key_result(key_result)
    key_result.progress, key_result.progress_raw = result.progress, result.raw
    key_result.confidence = data.confidence
    return result


_KR_CHECK_IN_FIELDS = [
    "current_value",
    "milestone_done",
    "ordinal_level",
    "progress",
    "progress_raw",
    "confidence",
    "next_check_in_due",
    "last_check_in_at",
]


def _record(
    actor: Membership,
    key_result: KeyResult,
    data: CheckInData,
    now: Any,
    overrides: dict[int, int] | None = None,
    save: bool = True,
) -> CheckIn:
    ensure_same_org(actor, key_result)
    permissions.require_check_in(actor, key_result)
    if not key_result.objective.cycle.accepts_check_ins:
        raise ValidationError({"value": _("Check-ins are open only while the cycle is active.")})
    _check_check_in(key_result, data)
    result = _apply_check_in_to_kr(key_result, data)
    key_result.next_check_in_due = timezone.localdate(now) + timedelta(
        days=cadence_days(actor.organisation, key_result, overrides)
    )
    key_result.last_check_in_at = now
    if save:
        key_result.save(update_fields=_KR_CHECK_IN_FIELDS)
    return CheckIn(
        organisation=actor.organisation,
        key_result=key_result,
        author=actor,
        value=data.value,
        milestone_done=data.milestone_done,
        ordinal_level=data.ordinal_level,
        confidence=data.confidence,
        progress_note=data.progress_note.strip(),
        plans_note=data.plans_note.strip(),
        problems_note=data.problems_note.strip(),
        progress=result.progress,
        created_at=now,
    )


@transaction.atomic
def record_check_in(*, actor: Membership, key_result: KeyResult, data: CheckInData) -> CheckIn:
    """Append a check-in, move the key result to it, set the next due date from the team's
    cadence and refresh the progress of every objective above, in a fixed number of queries."""
    check_in = _record(actor, key_result, data, timezone.now())
    check_in.save()
    rollup.refresh_objectives(
        actor.organisation, objective_ids=[key_result.objective_id], key_result_id=key_result.pk
    )
    audit(
        actor,
        "okrs.check_in.recorded",
        check_in,
        data={"key_result": str(key_result.public_id), "progress": str(check_in.progress)},
    )
    return check_in


@transaction.atomic
def record_check_ins(
    *, actor: Membership, items: Sequence[tuple[KeyResult, CheckInData]]
) -> list[CheckIn]:
    """Many check-ins at once (the API's bulk endpoint): all are recorded or none. Errors are
    keyed `items.<index>.<field>`."""
    if len(items) > BULK_CHECK_IN_LIMIT:
        raise ValidationError(
            {"items": _("At most %(n)d check-ins at once.") % {"n": BULK_CHECK_IN_LIMIT}}
        )
    now = timezone.now()
    overrides = team_cadences(actor.organisation, (_cadence_team_id(kr) for kr, _d in items))
    check_ins: list[CheckIn] = []
    for index, (key_result, data) in enumerate(items):
        try:
            check_ins.append(_record(actor, key_result, data, now, overrides, save=False))
        except ValidationError as exc:
            raise ValidationError(
                {f"items.{index}.{k}": v for k, v in exc.message_dict.items()}
            ) from exc
    # One UPDATE for all key results; a key result named twice keeps its last check-in's state.
    latest = {kr.pk: kr for kr, _d in items}
    KeyResult.objects.for_org(actor.organisation).bulk_update(
        list(latest.values()), list(_KR_CHECK_IN_FIELDS), batch_size=250
    )
    CheckIn.objects.for_org(actor.organisation).bulk_create(check_ins)
    seeds = {kr.objective_id for kr, _d in items}
    seeds.update(
        ContributionLink.objects.for_org(actor.organisation)
        .filter(key_result_id__in=[kr.pk for kr, _d in items])
        .values_list("objective_id", flat=True)
    )
    rollup.refresh_objectives(actor.organisation, objective_ids=seeds)
    audit(actor, "okrs.check_in.bulk_recorded", None, data={"count": len(check_ins)})
    return check_ins


@transaction.atomic
def correct_latest_check_in(*, actor: Membership, check_in: CheckIn, data: CheckInData) -> CheckIn:
    """The author may fix the latest check-in of a key result within 24 hours of writing it."""
    ensure_same_org(actor, check_in)
    if check_in.author_id != actor.pk:
        raise PermissionDenied(_("Only the author can correct a check-in."))
    key_result = check_in.key_result
    latest = (
        CheckIn.objects.for_org(actor.organisation)
        .filter(key_result=key_result)
        .values_list("pk", flat=True)
        .first()
    )
    if latest != check_in.pk:
        raise ValidationError({"value": _("Only the latest check-in can be corrected.")})
    if timezone.now() - check_in.created_at > CORRECTION_WINDOW:
        raise ValidationError({"value": _("Check-ins can be corrected for 24 hours only.")})
    if not key_result.objective.cycle.accepts_check_ins:
        raise ValidationError({"value": _("Check-ins are open only while the cycle is active.")})
    _check_check_in(key_result, data)
    result = _apply_check_in_to_kr(key_result, data)
    key_result.save(update_fields=_KR_CHECK_IN_FIELDS)
    before = {
        "value": str(check_in.value),
        "confidence": check_in.confidence,
        "progress": str(check_in.progress),
    }
    changes = {
        "value": data.value,
        "milestone_done": data.milestone_done,
        "ordinal_level": data.ordinal_level,
        "confidence": data.confidence,
        "progress_note": data.progress_note.strip(),
        "plans_note": data.plans_note.strip(),
        "problems_note": data.problems_note.strip(),
        "progress": result.progress,
        "corrected_at": timezone.now(),
    }
    CheckIn.objects.for_org(actor.organisation).filter(pk=check_in.pk).update(**changes)
    for name, value in changes.items():
        setattr(check_in, name, value)
    rollup.refresh_objectives(
        actor.organisation, objective_ids=[key_result.objective_id], key_result_id=key_result.pk
    )
    audit(actor, "okrs.check_in.corrected", check_in, data={"before": before})
    return check_in


# --- grading and retrospectives --------------------------------------------------------------


def _objective_score(key_results: Iterable[KeyResult]) -> Decimal | None:
    parts = [
        (kr.weight, kr.score if kr.score is not None else progress.default_score(kr.progress))
        for kr in key_results
    ]
    if not parts:
        return None
    return progress.weighted_average(parts).quantize(Decimal("0.01"))


@transaction.atomic
def grade_key_result(
    *, actor: Membership, key_result: KeyResult, score: Decimal | None = None, reason: str = ""
) -> KeyResult:
    """Set a key result's grade (its final progress unless overridden, with a reason) and
    re-derive the objective's score as the weighted average of its key results' grades."""
    objective = key_result.objective
    permissions.require_edit_objective(actor, objective)
    if objective.cycle.state != Cycle.State.GRADING:
        raise ValidationError({"score": _("Grades are given while the cycle is in grading.")})
    default = progress.default_score(key_result.progress)
    final = default if score is None else score
    if not Decimal("0") <= final <= Decimal("1"):
        raise ValidationError({"score": _("A grade runs from 0.0 to 1.0.")})
    if final != default and not reason.strip():
        raise ValidationError(
            {
                "score_reason": _("Say why the grade differs from the final progress (%(p)s).")
                % {"p": default}
            }
        )
    key_result.score = final
    key_result.score_reason = reason.strip()
    key_result.save(update_fields=["score", "score_reason", "updated_at"])
    siblings = list(KeyResult.objects.for_org(actor.organisation).filter(objective=objective))
    objective.score = _objective_score(siblings)
    objective.save(update_fields=["score", "updated_at"])
    audit(
        actor,
        KEY_RESULT_GRADED,
        key_result,
        data={"score": str(final), "default": str(default)},
    )
    return key_result


@dataclass(frozen=True)
class RetrospectiveData:
    went_well: str = ""
    went_badly: str = ""
    learned: str = ""
    change_next: str = ""


@transaction.atomic
def write_retrospective(
    *,
    actor: Membership,
    cycle: Cycle,
    data: RetrospectiveData,
    objective: Objective | None = None,
    team: Team | None = None,
) -> Retrospective:
    """Create or replace the retrospective of one objective, or of a team for a cycle."""
    ensure_same_org(actor, cycle, objective, team)
    if (objective is None) == (team is None):
        raise ValidationError({"objective": _("Write about one objective or one team.")})
    if objective is not None:
        permissions.require_edit_objective(actor, objective)
        if objective.cycle_id != cycle.pk:
            raise ValidationError({"objective": _("This objective belongs to another cycle.")})
    elif team is not None and not (
        actor.is_admin or team.lead_id == actor.pk or actor.team_id == team.pk
    ):
        raise PermissionDenied(_("Only the team's members and admins can write its retrospective."))
    if cycle.state == Cycle.State.PLANNING:
        raise ValidationError({"went_well": _("Retrospectives come once the cycle is under way.")})
    if not any(v.strip() for v in vars(data).values()):
        raise ValidationError({"went_well": _("Write at least one of the four answers.")})
    lookup: dict[str, Any] = (
        {"objective": objective} if objective else {"team": team, "cycle": cycle}
    )
    retro, created = Retrospective.objects.for_org(actor.organisation).update_or_create(
        organisation=actor.organisation,
        **lookup,
        defaults={"cycle": cycle, "author": actor, **{k: v.strip() for k, v in vars(data).items()}},
    )
    audit(actor, "okrs.retrospective.written" if created else "okrs.retrospective.updated", retro)
    return retro


@transaction.atomic
def set_team_cadence(*, actor: Membership, team: Team, days: int | None) -> TeamSettings:
    """Admins and the team's lead override the organisation's check-in cadence for a team."""
    ensure_same_org(actor, team)
    if not (actor.is_admin or team.lead_id == actor.pk):
        raise PermissionDenied(_("Only admins and the team's lead can change its cadence."))
    if days is not None and not 1 <= days <= 60:
        raise ValidationError({"check_in_cadence_days": _("Choose between 1 and 60 days.")})
    settings, _created = TeamSettings.objects.for_org(actor.organisation).update_or_create(
        organisation=actor.organisation, team=team, defaults={"check_in_cadence_days": days}
    )
    settings.full_clean()
    audit(actor, "okrs.team_settings.changed", team, data={"check_in_cadence_days": days})
    return settings
