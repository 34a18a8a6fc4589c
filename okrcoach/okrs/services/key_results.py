"""Key results and their initiatives: create, edit, delete; add an initiative, set its status."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from okrcoach.core import bounds
from okrcoach.core.audit import audit
from okrcoach.core.prepared import Prepared
from okrcoach.orgs.access import ensure_same_org
from okrcoach.orgs.models import Membership

from .. import coaching, permissions, rollup
from ..models import CheckIn, ContributionLink, Initiative, KeyResult, Objective
from .versions import StaleEdit, update_at_version


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
    errors = bounds.check(
        values={"baseline": data.baseline, "target": data.target, "stretch": data.stretch},
        texts={
            "title": (data.title, 200),
            "unit_label": (data.unit_label, 30),
            "commit_label": (data.commit_label, 200),
            "target_label": (data.target_label, 200),
            "stretch_label": (data.stretch_label, 200),
            "data_source": (data.data_source, 300),
        },
    )
    if errors:
        raise ValidationError(errors)
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
        if data.unit_kind == KeyResult.UnitKind.PERCENT:
            for field in ("baseline", "target", "stretch"):
                value = getattr(data, field)
                if value is not None and value < 0 and field not in errors:
                    errors[field] = _("A percentage cannot be below 0.")
    elif data.kr_type == KeyResult.KRType.ORDINAL:
        for field in ("commit_label", "target_label"):
            if not getattr(data, field).strip():
                errors[field] = _("Describe this level.")
    if errors:
        raise ValidationError(errors)


def _check_owner(owner: Membership, key_result: KeyResult | None) -> None:
    if not owner.is_active and (key_result is None or owner.pk != key_result.owner_id):
        raise ValidationError({"owner": _("This person is deactivated; choose someone else.")})


def _check_open(key_result: KeyResult) -> None:
    """A closed (or archived) cycle's key results keep their figures: grading read them."""
    cycle = key_result.objective.cycle
    if not cycle.is_editable:
        raise ValidationError(
            {
                "key_result": _("This cycle is %(state)s: its key results can no longer change.")
                % {"state": cycle.get_state_display()}
            }
        )


def lock_key_results(organisation_id: int, key_results: Iterable[KeyResult]) -> None:
    """Take the key results' row locks (PostgreSQL; on SQLite every write transaction holds the
    database's write lock from its start) and re-read the figures progress derives from, inside
    the transaction: a check-in and an edit of one key result run one after the other, and the
    cached progress always matches the stored figures. One query."""
    by_pk: dict[int, list[KeyResult]] = {}
    for kr in key_results:
        by_pk.setdefault(kr.pk, []).append(kr)
    rows = (
        KeyResult.objects.for_org(organisation_id)
        .select_for_update()
        .filter(pk__in=list(by_pk))
        .order_by("pk")
        .values("pk", *_LOCKED_FIELDS)
    )
    for row in rows:
        for kr in by_pk[row.pop("pk")]:
            for name, value in row.items():
                setattr(kr, name, value)


_LOCKED_FIELDS = (
    "kr_type",
    "direction",
    "baseline",
    "target",
    "stretch",
    "current_value",
    "milestone_done",
    "ordinal_level",
    "version",
)


def _lock_one(shape: Any, *, org_id: int, pk: int) -> Any:
    return (
        KeyResult.objects.for_org(org_id)
        .select_for_update()
        .filter(pk=pk)
        .values_list(*_LOCKED_FIELDS)
    )


_LOCK_ONE = Prepared(KeyResult, _lock_one)


def lock_key_result(organisation_id: int, key_result: KeyResult) -> None:
    """`lock_key_results` for one key result (a single check-in), its query compiled once per
    process (core/prepared.py)."""
    for row in _LOCK_ONE(org_id=organisation_id, pk=key_result.pk):
        for name, value in zip(_LOCKED_FIELDS, row, strict=True):
            setattr(key_result, name, value)


def _kr_fields(data: KeyResultData) -> dict[str, Any]:
    fields = {f: getattr(data, f) for f in KeyResultData.__dataclass_fields__ if f != "owner"}
    fields["title"] = data.title.strip()
    return fields


def prepare_key_result(
    *,
    actor: Membership,
    objective: Objective,
    data: KeyResultData,
    bulk: bool = False,
    review: bool = True,
) -> KeyResult:
    """Every check of `create_key_result`, and the unsaved row (progress computed) it would
    save. `bulk` and `review`: as for objectives.prepare_objective."""
    if not bulk:
        permissions.require_edit_objective(actor, objective)
    owner = data.owner or objective.owner
    ensure_same_org(actor, objective, owner)
    if not objective.cycle.is_editable:
        raise ValidationError({"title": _("This cycle no longer accepts new key results.")})
    _check_owner(owner, None)
    _check_key_result(data)
    kr = KeyResult(
        organisation=actor.organisation, objective=objective, owner=owner, **_kr_fields(data)
    )
    result = rollup.recompute_key_result(kr)
    kr.progress, kr.progress_raw = result.progress, result.raw
    if review:
        coaching.store_review(kr)
    else:
        coaching.mark_review_pending(kr)
    if bulk:
        kr.full_clean(
            exclude=["organisation", "objective", "owner"],
            validate_unique=False,
            validate_constraints=False,
        )
    else:
        kr.full_clean()
    return kr


@transaction.atomic
def create_key_result(*, actor: Membership, objective: Objective, data: KeyResultData) -> KeyResult:
    kr = prepare_key_result(actor=actor, objective=objective, data=data)
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
    _check_open(key_result)
    _check_owner(owner, key_result)
    _check_key_result(data)
    lock_key_results(actor.organisation_id, [key_result])
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
    coaching.store_review(key_result, coaching.dismissed_for(key_result))
    key_result.full_clean()
    saved = update_at_version(
        KeyResult.objects.for_org(actor.organisation),
        key_result,
        version,
        **fields,
        owner=owner,
        progress=result.progress,
        progress_raw=result.raw,
        coach_verdict=key_result.coach_verdict,
        coach_rules=key_result.coach_rules,
    )
    if not saved:
        raise StaleEdit(KeyResult.objects.for_org(actor.organisation).get(pk=key_result.pk))
    key_result.version = version + 1
    rollup.refresh_objectives(
        actor.organisation, objective_ids=[key_result.objective_id], key_result_ids=[key_result.pk]
    )
    audit(actor, "okrs.key_result.updated", key_result, data={"before": before})
    return key_result


@transaction.atomic
def delete_key_result(*, actor: Membership, key_result: KeyResult) -> None:
    """Only a key result without check-ins can go, so no history is lost."""
    permissions.require_edit_objective(actor, key_result.objective)
    _check_open(key_result)
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
