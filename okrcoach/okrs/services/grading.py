"""Grading and retrospectives: grade a key result (the objective's score follows), write the
retrospective of an objective or of a team for a cycle."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from okrcoach.core.audit import audit
from okrcoach.orgs.access import ensure_same_org
from okrcoach.orgs.models import Membership, Team

from .. import comms_targets, permissions, progress
from ..audit_actions import KEY_RESULT_GRADED
from ..models import Cycle, KeyResult, Objective, Retrospective


def objective_score(key_results: Iterable[KeyResult]) -> Decimal | None:
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
    score_before = objective.score
    objective.score = objective_score(siblings)
    objective.save(update_fields=["score", "updated_at"])
    audit(
        actor,
        KEY_RESULT_GRADED,
        key_result,
        data={"score": str(final), "default": str(default)},
    )
    comms_targets.key_result_graded(actor=actor, key_result=key_result)
    if objective.score != score_before:
        comms_targets.objective_graded(actor=actor, objective=objective)
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
    elif team is not None and not permissions.can_write_team_retrospective(actor, team):
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
