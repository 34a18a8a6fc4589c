"""Reads for comms pages: each a fixed number of queries, shaped so templates read attributes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db.models import Count, Q, QuerySet

from okrcoach.orgs.models import Membership, Team

from .models import (
    Comment,
    CommentRevision,
    FeedEntry,
    Notification,
    WebhookDelivery,
    WebhookEndpoint,
)
from .targets import Target, adapter_for, visible_gate_q
from .text import handle_of

PAGE = 50


@dataclass(frozen=True)
class ThreadComment:
    comment: Comment
    replies: list[Comment]


@dataclass(frozen=True)
class ThreadPage:
    target: Target
    comments: list[ThreadComment]
    count: int


def thread(target: Target) -> ThreadPage:
    """A target's comments, replies under the comment they answer: one query."""
    rows = list(
        Comment.objects.for_org(target.organisation_id)
        .filter(target_kind=target.kind, target_id=target.public_id)
        .select_related("author__user")
        .annotate(revision_count=Count("revisions"))
        .order_by("created_at", "pk")
    )
    replies: dict[int, list[Comment]] = {}
    for c in rows:
        if c.parent_id:
            replies.setdefault(c.parent_id, []).append(c)
    top = [ThreadComment(c, replies.get(c.pk, [])) for c in rows if not c.parent_id]
    return ThreadPage(target, top, sum(1 for c in rows if not c.is_deleted))


def comment_history(comment: Comment) -> list[str]:
    return list(
        CommentRevision.objects.for_org(comment.organisation_id)
        .filter(comment=comment)
        .values_list("body", flat=True)
    )


def people_who_may_see(target: Target, query: str = "", limit: int = 8) -> list[Membership]:
    """Mention candidates: active people of the organisation who may see the target, matching
    the typed name or handle: one query."""
    qs = (
        Membership.objects.for_org(target.organisation_id)
        .filter(adapter_for(target.kind).viewers_q(target), is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name")
    )
    if query:
        qs = qs.filter(Q(user__full_name__icontains=query) | Q(user__email__istartswith=query))
    return list(qs[:limit])


def handles(people: list[Membership]) -> list[tuple[str, str]]:
    return [(handle_of(m.user.email), m.user.full_name) for m in people]


def people_by_id(organisation_id: int, ids: set[int]) -> list[Membership]:
    return list(
        Membership.objects.for_org(organisation_id)
        .filter(pk__in=ids)
        .select_related("user")
        .order_by("user__full_name")
    )


def inbox(member: Membership, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The member's notifications, newest first, re-checked against what they may see now."""
    qs = (
        Notification.objects.for_org(member.organisation)
        .filter(visible_gate_q(member), recipient=member)
        .select_related("actor__user")
    )
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def unread_count(member: Membership) -> int:
    return inbox(member, unread_only=True).count()


def get_notification(member: Membership, notification_id: UUID) -> Notification:
    from okrcoach.orgs.access import get_for_member_or_404

    return get_for_member_or_404(
        Notification.objects.for_org(member.organisation).filter(recipient=member),
        member,
        public_id=notification_id,
    )


def feed(
    member: Membership,
    *,
    team: Team | None = None,
    gate_id: UUID | None = None,
    limit: int = PAGE,
) -> list[FeedEntry]:
    """Activity the member may see: the organisation's, a team's (and its sub-teams'), or one
    objective's. One query (plus the team tree when filtering by team)."""
    qs = (
        FeedEntry.objects.for_org(member.organisation)
        .filter(visible_gate_q(member))
        .select_related("actor__user")
    )
    if team is not None:
        subtree = Team.objects.for_org(member.organisation).descendants(team, include_self=True)
        qs = qs.filter(team__in=subtree)
    if gate_id is not None:
        qs = qs.filter(gate_id=gate_id)
    return list(qs[:limit])


def endpoints(member: Membership) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.for_org(member.organisation).annotate(
        delivery_count=Count("deliveries")
    )


def delivery_log(endpoint: WebhookEndpoint, limit: int = PAGE) -> list[WebhookDelivery]:
    return list(
        WebhookDelivery.objects.for_org(endpoint.organisation_id).filter(endpoint=endpoint)[:limit]
    )


def comments_since(
    viewer: Membership, *, gate_ids: list[UUID], since: datetime, limit: int = 100
) -> list[Comment]:
    """Comments posted after `since` under these gates (objectives), newest first, that the
    viewer may see; deleted ones left out. One query. Used by growth's 1:1 agenda."""
    if not gate_ids:
        return []
    return list(
        Comment.objects.for_org(viewer.organisation_id)
        .filter(visible_gate_q(viewer), gate_id__in=gate_ids, created_at__gt=since)
        .filter(deleted_at__isnull=True)
        .select_related("author__user")
        .order_by("-created_at", "-pk")[:limit]
    )
