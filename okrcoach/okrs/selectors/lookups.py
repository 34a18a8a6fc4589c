"""One row by public id (objective, key result, cycle, team), 404 when it is absent or the actor
may not see it; and the objectives and key results a form may offer."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from okrcoach.core.prepared import Prepared
from okrcoach.orgs.access import get_for_member_or_404
from okrcoach.orgs.models import Membership, Team

from ..models import CheckIn, ContributionLink, Cycle, Initiative, KeyResult, Objective


def get_objective(actor: Membership, objective_id: UUID | str) -> Objective:
    """An objective the actor may see, joined for its pages; 404 otherwise (a private objective
    is not revealed to those who cannot see it)."""
    try:
        return (
            Objective.objects.for_org(actor.organisation)
            .select_related("owner__user", "team", "cycle", "parent__owner__user", "carried_from")
            .visible_to(actor)
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
            .visible_to(actor)
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
        .visible_to(actor)
        .filter(cycle=cycle)
        .exclude(status=Objective.Status.ABANDONED)
        .order_by("level", "title")
    )
    return qs.exclude(pk=exclude.pk) if exclude is not None else qs


def get_cycle(actor: Membership, cycle_id: UUID | str) -> Cycle:
    """A cycle of the actor's organisation; 404 otherwise."""
    return get_for_member_or_404(
        Cycle.objects.for_org(actor.organisation), actor, public_id=cycle_id
    )


def _team_query(_shape: object, *, org_id: int, public_id: UUID) -> Any:
    return Team.objects.for_org(org_id).select_related("lead__user").filter(public_id=public_id)


# Compiled once per process (core/prepared.py): building and compiling this lookup cost three
# times running it, on every view of a team's pages.
TEAM_BY_PUBLIC_ID = Prepared(Team, _team_query)


def get_team(actor: Membership, team_id: UUID | str) -> Team:
    """A team of the actor's organisation, its lead joined; 404 otherwise."""
    try:
        public_id = team_id if isinstance(team_id, UUID) else UUID(str(team_id))
    except ValueError as exc:  # a malformed id is just another missing team
        raise Http404("No such object in this organisation.") from exc
    found: list[Team] = TEAM_BY_PUBLIC_ID(org_id=actor.organisation_id, public_id=public_id)
    if not found:
        raise Http404("No such object in this organisation.")
    return found[0]


def linkable_key_results(actor: Membership, objective: Objective) -> QuerySet[KeyResult]:
    """Key results of the same cycle, of other objectives the actor can see."""
    return (
        KeyResult.objects.for_org(actor.organisation)
        .visible_to(actor)
        .filter(objective__cycle_id=objective.cycle_id)
        .exclude(objective=objective)
        .exclude(objective__status=Objective.Status.ABANDONED)
        .select_related("objective__team", "objective__owner__user")
        .order_by("objective__team__name", "objective__title", "position", "pk")
    )


def get_check_in(actor: Membership, check_in_id: UUID | str) -> CheckIn:
    """A check-in of the actor's organisation, its key result's objective, cycle and team
    joined; 404 otherwise. Whether the actor may see or correct it is decided after."""
    return get_for_member_or_404(
        CheckIn.objects.for_org(actor.organisation).select_related(
            "key_result__objective__cycle", "key_result__objective__team"
        ),
        actor,
        public_id=check_in_id,
    )


def get_initiative(actor: Membership, initiative_id: UUID | str) -> Initiative:
    """An initiative of a key result the actor may see; 404 otherwise."""
    return get_for_member_or_404(
        Initiative.objects.for_org(actor.organisation)
        .visible_to(actor)
        .select_related(
            "owner__user", "key_result__objective__team", "key_result__objective__owner"
        ),
        actor,
        public_id=initiative_id,
    )


def get_contribution_link(actor: Membership, link_id: UUID | str) -> ContributionLink:
    """A contribution link of an objective the actor may see; 404 otherwise."""
    return get_for_member_or_404(
        ContributionLink.objects.for_org(actor.organisation)
        .visible_to(actor)
        .select_related("objective__team", "objective__owner"),
        actor,
        public_id=link_id,
    )


def contribution_links(actor: Membership, objective: Objective) -> list[ContributionLink]:
    """The key results of other teams this objective counts, with their teams and owners."""
    return list(
        ContributionLink.objects.for_org(actor.organisation)
        .visible_to(actor)
        .filter(objective=objective)
        .select_related("key_result__objective__team", "key_result__owner__user")
        .order_by("pk")
    )
