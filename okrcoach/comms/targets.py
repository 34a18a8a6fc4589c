"""The things comments and notifications point at, supplied by the apps that own them.

comms comes before okrs in the import order, so it never imports an Objective. Instead an app
registers, in its `AppConfig.ready()`, an adapter per target kind ("objective", "key_result",
"check_in"): it resolves a public id for a member (404 when the member may not see it, using the
owning app's own visibility rule), and filters a set of people down to those who may see it.
A separate gate filter says which gates (the items whose visibility governs a row) a member may
see, so the inbox and feeds re-check visibility when they are read, not only when written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from okrcoach.orgs.models import Membership


@dataclass(frozen=True)
class Target:
    kind: str
    public_id: UUID
    title: str
    url: str  # a path inside the site; channels that leave the site prefix SITE_URL
    organisation_id: int
    gate_id: UUID | None
    is_private: bool
    owner_id: int | None
    team_id: int | None = None
    # Who follows it besides the owner (the objective's owner, contributors...).
    follower_ids: frozenset[int] = field(default_factory=frozenset)


class TargetAdapter(Protocol):
    def resolve(self, actor: Membership, public_id: UUID) -> Target:
        """The target as `actor` may see it; Http404 when missing, elsewhere or not visible."""
        ...

    def resolve_any(self, organisation_id: int, public_id: UUID) -> Target | None:
        """The target whatever the viewer (for tasks and services acting on behalf of the app)."""
        ...

    def viewers_q(self, target: Target) -> Q:
        """A filter on Membership: who may see this target."""
        ...


_adapters: dict[str, TargetAdapter] = {}
# gate filter: member -> a queryset of gate ids (UUIDs) the member may see.
_gate_filters: list[Callable[[Membership], QuerySet[Any, Any]]] = []


def register_target(kind: str, adapter: TargetAdapter) -> None:
    _adapters[kind] = adapter


def register_gate_filter(visible_gates: Callable[[Membership], QuerySet[Any, Any]]) -> None:
    """`visible_gates(member)` returns a values-list queryset of the gate ids that member sees."""
    _gate_filters.append(visible_gates)


def adapter_for(kind: str) -> TargetAdapter:
    try:
        return _adapters[kind]
    except KeyError as exc:
        raise Http404("No such kind of item.") from exc


def kinds() -> list[str]:
    return list(_adapters)


def resolve(actor: Membership, kind: str, public_id: UUID) -> Target:
    return adapter_for(kind).resolve(actor, public_id)


def visible_gate_q(member: Membership, prefix: str = "") -> Q:
    """Rows without a gate, or whose gate the member may see (a subquery per registered app)."""
    if member.sees_everything:
        return Q()
    allowed = Q(**{f"{prefix}gate_id__isnull": True})
    for visible in _gate_filters:
        allowed |= Q(**{f"{prefix}gate_id__in": visible(member)})
    return allowed


def who_may_see(target: Target, candidate_ids: set[int]) -> set[int]:
    """Of these people, the active ones who may see the target: one query. Deactivated people
    and people whose account is disabled receive nothing."""
    if not candidate_ids:
        return set()
    adapter = adapter_for(target.kind)
    return set(
        Membership.objects.for_org(target.organisation_id)
        .filter(adapter.viewers_q(target), pk__in=candidate_ids, is_active=True)
        .filter(user__is_active=True)
        .order_by()
        .values_list("pk", flat=True)
    )
