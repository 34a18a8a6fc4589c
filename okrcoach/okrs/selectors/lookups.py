"""One objective or key result by public id, 404 when it is absent or the actor may not see it;
and the objectives a form may offer."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from okrcoach.orgs.models import Membership

from ..models import Cycle, KeyResult, Objective
from ..permissions import visible_q


def get_objective(actor: Membership, objective_id: UUID | str) -> Objective:
    """An objective the actor may see, joined for its pages; 404 otherwise (a private objective
    is not revealed to those who cannot see it)."""
    try:
        return (
            Objective.objects.for_org(actor.organisation)
            .select_related("owner__user", "team", "cycle", "parent__owner__user", "carried_from")
            .filter(visible_q(actor))
            .get(public_id=objective_id)
        )
    except (Objective.DoesNotExist, ValueError) as exc:
        raise Http404("No such objective.") from exc


def get_key_result(actor: Membership, key_result_id: UUID | str) -> KeyResult:
    try:
        return (
            KeyResult.objects.for_org(actor.organisation)
            .select_related(
                "owner__user",
                "owner__team",
                "objective__cycle",
                "objective__team",
                "objective__owner",
            )
            .filter(visible_q(actor, "objective__"))
            .get(public_id=key_result_id)
        )
    except (KeyResult.DoesNotExist, ValueError) as exc:
        raise Http404("No such key result.") from exc


def objective_choices(
    actor: Membership, cycle: Cycle, exclude: Objective | None = None
) -> QuerySet[Objective]:
    """Objectives an objective of this cycle may align to."""
    qs = (
        Objective.objects.for_org(actor.organisation)
        .filter(visible_q(actor), cycle=cycle)
        .exclude(status=Objective.Status.ABANDONED)
        .order_by("level", "title")
    )
    return qs.exclude(pk=exclude.pk) if exclude is not None else qs
