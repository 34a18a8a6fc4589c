"""The key result a quick check-in posts to, with everything the check-in needs to know: one
query, compiled once per process (core/prepared.py).

The general lookup (`lookups.get_key_result`, then `Reach` for the row's rights) built the ORM
query on every request (five joined models and the visibility rule's recursive subquery), then
walked the actor's whole reporting subtree in a second query, and the service read the team's
check-in cadence in a third. Here one query returns the row with its joins, whether the
objective's owner is below the actor (a walk UP the owner's reporting line: a handful of index
probes, where the subtree of a department head is hundreds of rows) and the team's cadence
override; seeing and checking in are then decided in Python by the same rules as
`permissions.visible_q` and `Reach.can_check_in` (tests/test_check_in_row.py compares them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import BooleanField, OuterRef, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from okrcoach.core.prepared import PreparedLookup
from okrcoach.orgs.models import Membership

from ..models import KeyResult, Objective, TeamSettings
from ..permissions import Reach
from .pages import KRRow


@dataclass(frozen=True)
class CheckInRow:
    row: KRRow
    reach: Reach  # exact for the row's objective (Reach.over_owner)
    # The cadence override of the team whose cadence applies (cadence.cadence_team_id), if any.
    cadence_overrides: dict[int, int]


def _owner_below_actor_sql() -> str:
    q = connection.ops.quote_name
    members, objectives, krs = (q(m._meta.db_table) for m in (Membership, Objective, KeyResult))
    # Up the objective owner's reporting line; UNION stops at a cycle, should one slip past
    # the service that prevents them. Only our quoted table names are interpolated.
    owner = f"(SELECT o.owner_id FROM {objectives} o WHERE o.id = {krs}.objective_id)"  # noqa: S608
    return (
        f"EXISTS (WITH RECURSIVE chain(id) AS ("  # noqa: S608
        f"SELECT m.manager_id FROM {members} m WHERE m.id = {owner}"
        f" UNION SELECT m.manager_id FROM {members} m JOIN chain c ON m.id = c.id"
        f") SELECT 1 FROM chain WHERE chain.id = %s)"
    )


def _build(shape: Any, *, public_id: UUID, org_id: int, actor_id: int) -> QuerySet[KeyResult]:
    cadence = (
        TeamSettings.objects.for_org(org_id)
        .filter(
            team_id=Coalesce(OuterRef("objective__team_id"), OuterRef("owner__team_id")),
            check_in_cadence_days__isnull=False,
        )
        .order_by()
        .values("check_in_cadence_days")[:1]
    )
    return (
        KeyResult.objects.for_org(org_id)
        .filter(public_id=public_id)
        # What the row, the rights and the notifications read; no more: planning each join
        # is most of this query's PostgreSQL time (it is planned on every request).
        .select_related("owner__user", "objective__cycle", "objective__team")
        .order_by()
        .annotate(
            owner_below_actor=RawSQL(  # noqa: S611
                _owner_below_actor_sql(), (actor_id,), output_field=BooleanField()
            ),
            cadence_override=Subquery(cadence),
        )
    )


_ROW: PreparedLookup[KeyResult] = PreparedLookup(KeyResult, _build)


def check_in_row(actor: Membership, key_result_id: UUID | str) -> CheckInRow:
    """The key result as the My OKRs row shows it, the actor's rights over it and the cadence
    a check-in sets its next due date by: one query; 404 if the actor may not see it."""
    try:
        public_id = key_result_id if isinstance(key_result_id, UUID) else UUID(key_result_id)
    except ValueError as exc:
        raise Http404("No such key result.") from exc
    found = _ROW(public_id=public_id, org_id=actor.organisation_id, actor_id=actor.pk)
    if not found:
        raise Http404("No such key result.")
    kr = found[0]
    objective = kr.objective
    below = bool(kr.owner_below_actor)
    # permissions.visible_q: public, the actor's own, or owned by someone below the actor.
    visible = (
        actor.sees_everything
        or objective.visibility == Objective.Visibility.PUBLIC
        or objective.owner_id == actor.pk
        or below
    )
    if not visible:
        raise Http404("No such key result.")
    reach = Reach.over_owner(actor, objective.owner_id, below)
    team_id = objective.team_id or kr.owner.team_id
    override = kr.cadence_override
    return CheckInRow(
        row=KRRow(kr, objective, reach.can_check_in(kr, objective), timezone.localdate()),
        reach=reach,
        cadence_overrides={team_id: override} if team_id and override is not None else {},
    )
