"""Who may see and change which objective. Services and selectors both ask here, so a page and
the API never disagree.

Seeing: public objectives are visible to every member; a private one to its owner, the owner's
managers (anyone whose reporting subtree holds the owner), admins and executives.
Changing: the owner, the lead of the objective's team, the owner's managers, and admins.
Executives see everything but change only what their place in the reporting line allows."""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from okrcoach.orgs.lines import in_line
from okrcoach.orgs.models import Membership, Role, Team
from okrcoach.orgs.selectors import manager_chain_ids, subtree_id_set, subtree_ids

from .models import KeyResult, Objective

# Up to this many people below the actor, a query names their ids (from the page's `Reach`)
# rather than walking the reporting line again in a recursive CTE.
SUBTREE_LITERAL_MAX = 1000


def visible_q(actor: Membership, prefix: str = "", subtree: Collection[int] | None = None) -> Q:
    """A filter for objectives (or rows reached through `prefix`, e.g. "objective__").
    `subtree`: the actor's reporting subtree when the caller has it already (`Reach.subtree`)."""
    if actor.sees_everything:
        return Q()
    rule = Q(**{f"{prefix}visibility": Objective.Visibility.PUBLIC}) | Q(
        **{f"{prefix}owner": actor}
    )
    if subtree is None or len(subtree) > SUBTREE_LITERAL_MAX:
        return rule | Q(**{f"{prefix}owner__in": subtree_ids(actor)})
    if subtree:
        return rule | Q(**{f"{prefix}owner__in": sorted(subtree)})
    return rule


def visible_fast_q(actor: Membership, prefix: str = "") -> Q:
    """The same rows as `visible_q`, for queries the planner should drive from an index: on
    PostgreSQL the reporting subtree is an array computed once, and only when a row is neither
    public nor the actor's own (orgs/lines.py). For a handful of rows already narrowed by an
    index (the actor's own key results) and for the dashboards' grouped counts."""
    if actor.sees_everything:
        return Q()
    return Q(**{f"{prefix}visibility": Objective.Visibility.PUBLIC}) | in_line(
        f"{prefix}owner", actor
    )


def viewers_q(objective: Objective, prefix: str = "") -> Q:
    """The same rule seen from the other side: a filter on Membership (or rows reached through
    `prefix`) for everyone who may see this objective. Comments, notifications, mentions and
    reminders ask here, so they never reach someone the objective's page would refuse."""
    if not objective.is_private:
        return Q()
    return (
        Q(**{f"{prefix}role__in": [Role.ADMIN, Role.EXECUTIVE]})
        | Q(**{f"{prefix}pk": objective.owner_id})
        | Q(**{f"{prefix}pk__in": manager_chain_ids(objective.owner_id)})
    )


def _is_above(actor: Membership, person_id: int) -> bool:
    """Is this person somewhere below the actor in the reporting line? One query."""
    return (
        Membership.objects.for_org(actor.organisation)
        .filter(pk=person_id, pk__in=subtree_ids(actor))
        .exists()
    )


def _same_org(actor: Membership, objective: Objective) -> bool:
    # Querysets start from `for_org`; these predicates take any row, so they check it themselves.
    return objective.organisation_id == actor.organisation_id


def can_view_objective(actor: Membership, objective: Objective) -> bool:
    if not _same_org(actor, objective):
        return False
    if not objective.is_private or actor.sees_everything or objective.owner_id == actor.pk:
        return True
    return _is_above(actor, objective.owner_id)


def _leads(actor: Membership, team: Team | None) -> bool:
    return team is not None and team.lead_id == actor.pk


def can_edit_objective(actor: Membership, objective: Objective) -> bool:
    if not _same_org(actor, objective):
        return False
    if actor.is_admin or objective.owner_id == actor.pk:
        return True
    if objective.team_id and _leads(actor, objective.team):
        return True
    return _is_above(actor, objective.owner_id)


def can_write_team_retrospective(actor: Membership, team: Team) -> bool:
    """Admins, the team's lead and its members write a team's retrospective."""
    return actor.is_admin or team.lead_id == actor.pk or actor.team_id == team.pk


def can_check_in(actor: Membership, key_result: KeyResult) -> bool:
    if key_result.owner_id == actor.pk:
        return True
    return can_edit_objective(actor, key_result.objective)


def require_edit_objective(actor: Membership, objective: Objective) -> None:
    if not can_edit_objective(actor, objective):
        raise PermissionDenied(_("Only the owner, their managers and admins can change this."))


def require_check_in(actor: Membership, key_result: KeyResult, reach: Reach | None = None) -> None:
    """With a `Reach` (many key results at once) the check costs no query."""
    allowed = (
        reach.can_check_in(key_result, key_result.objective)
        if reach is not None
        else can_check_in(actor, key_result)
    )
    if not allowed:
        raise PermissionDenied(
            _("Only the key result's owner and the objective's editors can check in.")
        )


def may_own(actor: Membership, owner: Membership) -> bool:
    """Can the actor create or move an objective to this owner? Themselves, their reports
    (at any depth), or anyone for an admin."""
    return actor.is_admin or owner.pk == actor.pk or _is_above(actor, owner.pk)


def may_create_at_level(actor: Membership, level: str, team: Team | None) -> bool:
    if actor.is_admin:
        return True
    if level == Objective.Level.COMPANY:
        return actor.is_executive
    if level == Objective.Level.TEAM:
        if team is None:
            return False
        return _leads(actor, team) or (team.lead_id is not None and _is_above(actor, team.lead_id))
    return True


class Reach:
    """The actor's permissions over many rows at once, for pages: one query (the reporting
    subtree) up front, then pure checks, so a list costs the same whatever its length."""

    def __init__(self, actor: Membership, subtree: set[int] | None = None) -> None:
        """`subtree`: the actor's reporting subtree when the caller read it already (the
        objective page reads it with the objective's id, in one query)."""
        self.actor = actor
        self.subtree = subtree if subtree is not None else subtree_id_set(actor)

    def can_view(self, objective: Objective) -> bool:
        """visible_q's rule for an objective already read."""
        return _same_org(self.actor, objective) and self.can_view_row(
            objective.visibility, objective.owner_id
        )

    def can_view_row(self, visibility: str, owner_id: int) -> bool:
        """visible_q's rule for an objective of the actor's organisation read as columns."""
        actor = self.actor
        return (
            actor.sees_everything
            or visibility == Objective.Visibility.PUBLIC
            or owner_id == actor.pk
            or owner_id in self.subtree
        )

    @classmethod
    def over_owner(cls, actor: Membership, owner_id: int, is_below: bool) -> Reach:
        """The actor's reach over one person's rows only, when the caller already knows whether
        that person is below the actor (okrs.selectors.check_in_row asks in its own query):
        no query. Exact for rows owned by `owner_id`; for anyone else's, as if not below."""
        return cls(actor, {owner_id} if is_below else set())

    def can_edit(self, objective: Objective) -> bool:
        """Needs `objective.team` joined when the objective has a team."""
        actor = self.actor
        return _same_org(actor, objective) and (
            actor.is_admin
            or objective.owner_id == actor.pk
            or objective.owner_id in self.subtree
            or (objective.team_id is not None and _leads(actor, objective.team))
        )

    def can_check_in(self, key_result: KeyResult, objective: Objective) -> bool:
        return key_result.owner_id == self.actor.pk or self.can_edit(objective)
