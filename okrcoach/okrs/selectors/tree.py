"""The company tree: top-level objectives and orphans, each node's visible children, and
coverage (teams with objectives, objectives aligned)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Avg, Count, OuterRef, Q, Subquery

from okrcoach.core.cache import cached_for_org
from okrcoach.core.prepared import Prepared, never_prepared
from okrcoach.core.queries import count_per_row
from okrcoach.orgs.models import Membership, Role, Team

from ..models import Cycle, KeyResult, Objective, ObjectiveQuerySet, hide_unseen_parent
from .cycles import pick_cycle


def _tree_nodes(actor: Membership) -> ObjectiveQuerySet:
    org = actor.organisation_id
    # Counted in correlated subqueries that use the parent and objective indexes: a join with
    # GROUP BY over every selected column grew with the number of children (perf/README.md).
    visible_children = count_per_row(
        Objective.objects.for_org(org).visible_to(actor).exclude(status=Objective.Status.ABANDONED),
        "parent",
    )
    confidence = (
        KeyResult.objects.for_org(org)
        .filter(objective=OuterRef("pk"))
        .order_by()
        .values("objective")
        .annotate(avg=Avg("confidence"))
        .values("avg")
    )
    return (
        Objective.objects.for_org(org)
        .visible_to(actor)
        .exclude(status=Objective.Status.ABANDONED)
        .select_related("owner__user", "team")
        .annotate(
            child_count=visible_children,
            avg_confidence=Subquery(confidence),
        )
        .order_by("level", "team__name", "position", "pk")
    )


@dataclass(frozen=True)
class Coverage:
    teams_total: int
    teams_with_objectives: int
    aligned: int
    alignable: int

    @property
    def team_share(self) -> int:
        return round(100 * self.teams_with_objectives / self.teams_total) if self.teams_total else 0

    @property
    def aligned_share(self) -> int:
        return round(100 * self.aligned / self.alignable) if self.alignable else 0

    @property
    def unaligned(self) -> int:
        return self.alignable - self.aligned


@dataclass(frozen=True)
class CompanyPage:
    cycle: Cycle | None
    cycles: list[Cycle]
    roots: list[Objective]  # company-level objectives
    orphans: list[Objective]  # team and personal objectives aligned to nothing
    coverage: Coverage | None


def _tree_top(
    sees_everything: bool, *, org_id: int, actor_id: int, cycle_id: int
) -> ObjectiveQuerySet:
    """The top of the cycle's tree as the actor sees it, with each node's counts."""
    role = Role.ADMIN if sees_everything else Role.MEMBER
    actor = Membership(pk=actor_id, organisation_id=org_id, role=role)  # what the rule reads
    cycle = Cycle(pk=cycle_id, organisation_id=org_id)
    return _tree_nodes(actor).shown_as_root(actor, cycle)


# Built and compiled once per process (core/prepared.py): building and compiling this query
# (the visibility rule three times, two correlated subqueries) was most of the page's Python.
# Planned with its ids every time (generic_plan=False): PostgreSQL's generic plan, made for an
# average organisation, read the cycle's every objective of a large one (11k rows at 10,000
# people, 6 ms instead of 1) instead of the few tree tops of objective_tree_top.
TREE_TOP = Prepared(Objective, _tree_top, generic_plan=False)


def company_page(actor: Membership, cycle_id: str | None = None) -> CompanyPage:
    """The tree's top level. Coverage is a separate fragment (`company_coverage`): it counts every
    objective of the cycle, so it would make the tree page grow with the organisation."""
    org = actor.organisation
    cycle, all_cycles = pick_cycle(org, cycle_id)
    if cycle is None:
        return CompanyPage(None, all_cycles, [], [], None)
    # A public objective aligned to one the actor may not see shows at the top, as if unaligned.
    top = TREE_TOP(actor.sees_everything, org_id=org.pk, actor_id=actor.pk, cycle_id=cycle.pk)
    for node in top:
        hide_unseen_parent(node)
    return CompanyPage(
        cycle=cycle,
        cycles=all_cycles,
        roots=[o for o in top if o.level == Objective.Level.COMPANY],
        orphans=[o for o in top if o.level != Objective.Level.COMPANY],
        coverage=None,
    )


def company_coverage(actor: Membership, cycle_id: str | None = None) -> Coverage | None:
    """Share of teams with objectives and of team/personal objectives aligned: two queries, or
    none while the organisation's cache version stands (core/cache.py). Keyed by reader, since
    only what the reader may see is counted; any write in the organisation starts it again."""
    org = actor.organisation
    cycle, _all = pick_cycle(org, cycle_id)
    if cycle is None:
        return None
    return cached_for_org(
        org.pk, f"okrs.coverage:{actor.pk}:{cycle.pk}", lambda: _coverage(actor, cycle)
    )


def _coverage(actor: Membership, cycle: Cycle) -> Coverage:
    org = actor.organisation
    # Only what the actor may see is counted, and aligned means aligned to a visible parent.
    in_cycle = (
        Objective.objects.for_org(org)
        .visible_to(actor)
        .filter(cycle=cycle)
        .exclude(status=Objective.Status.ABANDONED)
    )
    aligned_ids = in_cycle.aligned_for(actor).values("pk")
    # Planned with its parameters every time (core.prepared.never_prepared): counts over the
    # cycle whose best plan depends on the reader's reach and the organisation's size; the
    # generic plan PostgreSQL kept after five runs took 22-29 ms instead of 13 for a department
    # head at 10,000 people (perf/LOAD_RESULTS.md, 4 Dec 2026).
    with never_prepared(connections[router.db_for_read(Objective)]):
        counts = in_cycle.aggregate(
            teams=Count("team", distinct=True, filter=~Q(level=Objective.Level.COMPANY)),
            alignable=Count("pk", filter=~Q(level=Objective.Level.COMPANY)),
            aligned=Count("pk", filter=~Q(level=Objective.Level.COMPANY) & Q(pk__in=aligned_ids)),
        )
    return Coverage(
        teams_total=Team.objects.for_org(org).exclude(kind=Team.Kind.COMPANY).count(),
        teams_with_objectives=counts["teams"],
        aligned=counts["aligned"],
        alignable=counts["alignable"],
    )


def tree_children(actor: Membership, objective: Objective) -> list[Objective]:
    """The visible children of one node, each with its own child count: one query."""
    return list(_tree_nodes(actor).filter(parent=objective))
