"""Writes: comments, notifications, the activity feed, webhook endpoints. Every function is one
transaction; mail and webhook deliveries are enqueued on commit, as one task each whatever the
number of recipients, so a comment costs the same number of queries for 2 followers or 2,000."""

from __future__ import annotations

import base64
import secrets
import uuid
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from okrcoach.accounts.models import User
from okrcoach.core.audit import audit
from okrcoach.core.prepared import insert
from okrcoach.core.tasks import enqueue_on_commit
from okrcoach.orgs.access import ensure_same_org, require_admin
from okrcoach.orgs.models import Membership

from . import netguard, tasks
from .models import (
    Comment,
    CommentRevision,
    FeedEntry,
    Kind,
    Notification,
    WebhookDelivery,
    WebhookEndpoint,
)
from .targets import Target, who_may_see
from .text import handle_of, mentioned_handles, render_markdown
from .webhooks import EVENT_TYPES, new_message_id

MAX_COMMENT = 5000


def _excerpt(text: str, length: int = 140) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def mentioned_people(organisation_id: int, text: str) -> list[Membership]:
    """Active members of the organisation named by @handle in the text: one query."""
    handles = mentioned_handles(text)
    if not handles:
        return []
    match = Q()
    for handle in handles:
        match |= Q(user__email__istartswith=f"{handle}@")
    people = (
        Membership.objects.for_org(organisation_id)
        .filter(match, is_active=True, user__is_active=True)
        .select_related("user")
    )
    return [m for m in people if handle_of(m.user.email) in handles]


def comment_recipients(
    *, actor: Membership, target: Target, text: str, parent: Comment | None
) -> dict[int, str]:
    """Who a comment would notify and why (person id -> kind), before privacy: the people it
    mentions, the author it replies to, the target's owner and followers. Never the actor."""
    recipients: dict[int, str] = {}
    for person_id in [target.owner_id, *sorted(target.follower_ids)]:
        if person_id:
            recipients[person_id] = Kind.COMMENT
    if parent is not None:
        recipients[parent.author_id] = Kind.REPLY
    for person in mentioned_people(target.organisation_id, text):
        recipients[person.pk] = Kind.MENTION
    recipients.pop(actor.pk, None)
    return recipients


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write something before posting.")})
    if len(body) > MAX_COMMENT:
        raise ValidationError(
            {"body": _("A comment holds at most %(n)d characters.") % {"n": MAX_COMMENT}}
        )
    return body


def _notifications(
    *,
    target: Target,
    actor: Membership | None,
    recipients: Mapping[int, str],
    title: str,
    excerpt: str = "",
    url: str | None = None,
    comment: Comment | None = None,
    allowed: set[int] | None = None,
) -> list[Notification]:
    """Bulk-create the notifications of the people who may see the target (one query to filter,
    unless the caller did it, one to insert) and enqueue one email task for all of them."""
    myself = {actor.pk} if actor else set()
    if allowed is None:
        allowed = who_may_see(target, set(recipients) - myself)
    allowed = allowed - myself
    rows = [
        Notification(
            organisation_id=target.organisation_id,
            recipient_id=person_id,
            actor=actor,
            kind=recipients[person_id],
            title=title[:300],
            excerpt=excerpt[:300],
            url=(url or target.url)[:500],
            comment=comment,
            target_kind=target.kind,
            target_id=target.public_id,
            gate_id=target.gate_id,
        )
        for person_id in sorted(allowed)
    ]
    if not rows:
        return []
    created = Notification.objects.for_org(target.organisation_id).bulk_create(rows)
    ids = [n.public_id for n in created]
    enqueue_on_commit(
        tasks.email_notifications,
        organisation_id=target.organisation_id,
        notification_ids=[str(i) for i in ids],
    )
    return created


@transaction.atomic(savepoint=False)
def notify(
    *,
    target: Target,
    actor: Membership | None,
    recipients: Mapping[int, str],
    title: str,
    excerpt: str = "",
    url: str | None = None,
) -> list[Notification]:
    """Notify these people (id -> kind) about a target. People who may not see it, deactivated
    people and the actor themselves are left out."""
    return _notifications(
        target=target, actor=actor, recipients=recipients, title=title, excerpt=excerpt, url=url
    )


def _feed(
    *, target: Target, actor: Membership | None, verb: str, detail: str = "", url: str = ""
) -> FeedEntry:
    # compiled once per process: a check-in writes one line per request
    return insert(_feed_row(target, actor, verb, detail, url))


def _feed_row(
    target: Target, actor: Membership | None, verb: str, detail: str, url: str = ""
) -> FeedEntry:
    """A feed line about `target`, not yet saved."""
    return FeedEntry(
        organisation_id=target.organisation_id,
        actor=actor,
        verb=verb,
        title=target.title[:300],
        detail=_excerpt(detail),
        url=(url or target.url)[:500],
        team_id=target.team_id,
        is_private=target.is_private,
        target_kind=target.kind,
        target_id=target.public_id,
        gate_id=target.gate_id,
    )


@transaction.atomic(savepoint=False)
def post_feed_entries(
    *, entries: Sequence[tuple[Target, Membership | None, str, str]]
) -> list[FeedEntry]:
    """Many feed lines at once, (target, actor, verb, detail) each, in one insert: a cycle
    closing writes a line per objective whatever their number."""
    rows = [
        _feed_row(target, actor, verb, detail)
        for target, actor, verb, detail in entries
        if actor is None or actor.organisation_id == target.organisation_id
    ]
    if not rows:
        return []
    return FeedEntry.objects.for_org(rows[0].organisation_id).bulk_create(rows)


@transaction.atomic(savepoint=False)
def post_feed_entry(
    *, target: Target, actor: Membership | None, verb: str, detail: str = ""
) -> FeedEntry:
    """Add a line to the activity feeds (objective, team, organisation). Other apps call this
    for their own events (check-ins, grades, recognition)."""
    if actor is not None and actor.organisation_id != target.organisation_id:
        raise PermissionDenied("Cross-organisation access refused.")
    return _feed(target=target, actor=actor, verb=verb, detail=detail)


def _emit(target: Target, event_type: str, data: dict[str, Any]) -> None:
    # Webhooks reach everyone in a channel: a private item never leaves.
    if target.is_private:
        return
    payload: dict[str, object] = {
        "type": event_type,
        "timestamp": timezone.now().isoformat(),
        "data": {
            "kind": target.kind,
            "id": str(target.public_id),
            "title": target.title,
            "url": target.url,
            **data,
        },
    }
    enqueue_on_commit(
        tasks.fan_out_event,
        organisation_id=target.organisation_id,
        event_type=event_type,
        payload=payload,
    )


@transaction.atomic(savepoint=False)
def emit_event(*, target: Target, event_type: str, data: dict[str, Any] | None = None) -> None:
    """Queue an event for the organisation's webhook endpoints that subscribe to it."""
    _emit(target, event_type, data or {})


@transaction.atomic
def post_comment(
    *, actor: Membership, target: Target, body: str, parent: Comment | None = None
) -> Comment:
    """Post a comment (or a reply) on a target the actor can see; notify mentions, the replied-to
    author, the owner and followers who may see it; add a feed line and a webhook event.
    A fixed number of queries, whatever the number of people notified."""
    if actor.organisation_id != target.organisation_id:
        raise PermissionDenied("Cross-organisation access refused.")
    body = _clean_body(body)
    if parent is not None:
        ensure_same_org(actor, parent)
        if (parent.target_kind, parent.target_id) != (target.kind, target.public_id):
            raise ValidationError({"parent": _("Reply inside the same thread.")})
        if parent.parent_id is not None:
            parent = parent.parent  # one level of threading: replies to replies join the thread
    comment = Comment.objects.for_org(actor.organisation).create(
        organisation=actor.organisation,
        author=actor,
        parent=parent,
        body=body,
        body_html=render_markdown(body),
        target_kind=target.kind,
        target_id=target.public_id,
        gate_id=target.gate_id,
    )
    recipients = comment_recipients(actor=actor, target=target, text=body, parent=parent)
    allowed = who_may_see(target, set(recipients))
    allowed_mentions = {pid for pid in allowed if recipients[pid] == Kind.MENTION}
    if allowed_mentions:
        Comment.mentioned.through.objects.bulk_create(
            [
                Comment.mentioned.through(comment_id=comment.pk, membership_id=pid)
                for pid in sorted(allowed_mentions)
            ]
        )
    name = actor.user.full_name
    _notifications(
        target=target,
        actor=actor,
        recipients=recipients,
        title=_("%(name)s commented on %(title)s") % {"name": name, "title": target.title},
        excerpt=_excerpt(body),
        url=f"{target.url}#comment-{comment.public_id}",
        comment=comment,
        allowed=allowed,
    )
    _feed(
        target=target,
        actor=actor,
        verb=FeedEntry.Verb.COMMENTED,
        detail=body,
        url=f"{target.url}#comment-{comment.public_id}",
    )
    _emit(target, "comment.created", {"comment": body, "author": name})
    audit(actor, "comms.comment.posted", comment, data={"target": str(target.public_id)})
    return comment


def _require_author(actor: Membership, comment: Comment) -> None:
    ensure_same_org(actor, comment)
    if comment.author_id != actor.pk:
        raise PermissionDenied(_("Only the author can change or delete a comment."))
    if comment.is_deleted:
        raise ValidationError({"body": _("This comment was deleted.")})


@transaction.atomic
def edit_comment(*, actor: Membership, comment: Comment, body: str) -> Comment:
    """The author rewrites a comment; the previous text is kept as a revision. People the new
    text mentions for the first time are notified (only them, and only if they may see the
    item); those mentioned before hear nothing again."""
    _require_author(actor, comment)
    body = _clean_body(body)
    if body == comment.body:
        return comment
    CommentRevision.objects.for_org(actor.organisation).create(
        organisation=actor.organisation, comment=comment, body=comment.body
    )
    comment.body = body
    comment.body_html = render_markdown(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    _notify_new_mentions(actor, comment)
    audit(actor, "comms.comment.edited", comment)
    return comment


def _notify_new_mentions(actor: Membership, comment: Comment) -> None:
    """Mentions added by an edit: one query to find the handles' people, one for those already
    mentioned; the target and the visibility filter only when someone new is named."""
    if not mentioned_handles(comment.body):
        return
    named = {m.pk for m in mentioned_people(comment.organisation_id, comment.body)}
    named.discard(actor.pk)
    if not named:
        return
    already = set(
        Comment.mentioned.through.objects.filter(comment_id=comment.pk).values_list(
            "membership_id", flat=True
        )
    )
    fresh = named - already
    if not fresh:
        return
    from .targets import adapter_for

    target = adapter_for(comment.target_kind).resolve_any(
        comment.organisation_id, comment.target_id
    )
    if target is None:
        return
    allowed = who_may_see(target, fresh)
    if not allowed:
        return
    Comment.mentioned.through.objects.bulk_create(
        [
            Comment.mentioned.through(comment_id=comment.pk, membership_id=pid)
            for pid in sorted(allowed)
        ]
    )
    _notifications(
        target=target,
        actor=actor,
        recipients={pid: Kind.MENTION for pid in allowed},
        title=_("%(name)s mentioned you on %(title)s")
        % {"name": actor.user.full_name, "title": target.title},
        excerpt=_excerpt(comment.body),
        url=f"{target.url}#comment-{comment.public_id}",
        comment=comment,
        allowed=allowed,
    )


@transaction.atomic
def delete_comment(*, actor: Membership, comment: Comment) -> Comment:
    """The author deletes a comment: its text and history go, the thread's replies stay."""
    _require_author(actor, comment)
    CommentRevision.objects.for_org(actor.organisation).filter(comment=comment).delete()
    comment.body = ""
    comment.body_html = ""
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "deleted_at"])
    audit(actor, "comms.comment.deleted", comment)
    return comment


@transaction.atomic
def mark_read(*, member: Membership, notification: Notification) -> Notification:
    ensure_same_org(member, notification)
    if notification.recipient_id != member.pk:
        raise PermissionDenied(_("This notification is someone else's."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, member: Membership) -> int:
    return (
        Notification.objects.for_org(member.organisation)
        .filter(recipient=member, read_at__isnull=True)
        .update(read_at=timezone.now())
    )


@transaction.atomic
def unsubscribe(*, user: User, switch: str) -> None:
    """One-click unsubscribe from an email: turn that switch off."""
    prefs = dict(user.notification_preferences or {})
    prefs[switch] = False
    user.notification_preferences = prefs
    user.save(update_fields=["notification_preferences"])


# Webhook endpoints ------------------------------------------------------------------------


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def _check_events(events: list[str]) -> list[str]:
    unknown = sorted(set(events) - set(EVENT_TYPES))
    if unknown:
        raise ValidationError({"events": _("Unknown events: %(e)s") % {"e": ", ".join(unknown)}})
    if not events:
        raise ValidationError({"events": _("Pick at least one event.")})
    return sorted(set(events))


def _check_url(url: str) -> None:
    """Refuse targets that resolve to loopback, private, link-local or metadata addresses
    (netguard.py; an installation setting allows private ones)."""
    reason = netguard.check_url(url)
    if reason:
        raise ValidationError(
            {"url": _("Webhooks cannot go to this address: %(why)s.") % {"why": reason}}
        )


@transaction.atomic
def create_webhook_endpoint(
    *, actor: Membership, url: str, format: str, events: list[str], description: str = ""
) -> WebhookEndpoint:
    require_admin(actor)
    _check_url(url)
    endpoint = WebhookEndpoint(
        organisation=actor.organisation,
        url=url,
        format=format,
        events=_check_events(events),
        description=description,
        secret=new_secret(),
        created_by=actor,
    )
    endpoint.full_clean()
    endpoint.save()
    audit(actor, "comms.webhook.created", endpoint, data={"url": url, "format": format})
    return endpoint


@transaction.atomic
def update_webhook_endpoint(
    *,
    actor: Membership,
    endpoint: WebhookEndpoint,
    url: str,
    format: str,
    events: list[str],
    description: str = "",
    is_active: bool = True,
) -> WebhookEndpoint:
    require_admin(actor)
    ensure_same_org(actor, endpoint)
    _check_url(url)
    endpoint.url, endpoint.format, endpoint.description = url, format, description
    endpoint.events = _check_events(events)
    if is_active and not endpoint.is_active:
        endpoint.consecutive_failures = 0
        endpoint.disabled_at = None
    endpoint.is_active = is_active
    endpoint.full_clean()
    endpoint.save()
    audit(actor, "comms.webhook.updated", endpoint)
    return endpoint


@transaction.atomic
def delete_webhook_endpoint(*, actor: Membership, endpoint: WebhookEndpoint) -> None:
    require_admin(actor)
    ensure_same_org(actor, endpoint)
    audit(actor, "comms.webhook.deleted", endpoint)
    endpoint.delete()


def _queue_delivery(endpoint: WebhookEndpoint, event_type: str, payload: dict[str, Any]) -> Any:
    delivery = WebhookDelivery.objects.for_org(endpoint.organisation_id).create(
        organisation_id=endpoint.organisation_id,
        endpoint=endpoint,
        event_type=event_type,
        message_id=new_message_id(),
        payload=payload,
    )
    transaction.on_commit(
        partial(
            tasks.deliver_webhook.enqueue,
            organisation_id=endpoint.organisation_id,
            delivery_id=str(delivery.public_id),
        )
    )
    return delivery


@transaction.atomic
def send_test_event(*, actor: Membership, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """The "send a test event" button: a ping delivered like any event, shown in the log."""
    require_admin(actor)
    ensure_same_org(actor, endpoint)
    payload = {
        "type": "test.ping",
        "timestamp": timezone.now().isoformat(),
        "data": {
            "title": _("Test event from okrcoach"),
            "url": "/",
            "sent_by": actor.user.full_name,
        },
    }
    delivery: WebhookDelivery = _queue_delivery(endpoint, "test.ping", payload)
    audit(actor, "comms.webhook.test_sent", endpoint)
    return delivery


@transaction.atomic
def redeliver(*, actor: Membership, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send the same message again (a new message id, the same payload)."""
    require_admin(actor)
    ensure_same_org(actor, delivery)
    again: WebhookDelivery = _queue_delivery(
        delivery.endpoint, delivery.event_type, delivery.payload
    )
    audit(actor, "comms.webhook.redelivered", delivery)
    return again


@transaction.atomic
def send_direct(
    *,
    organisation_id: int,
    messages: list[tuple[int, str, str, str, str]],
    slot_kind: str,
    days: Mapping[int, Any],
) -> int:
    """Messages that are not about one target (reminders, a manager's list of late check-ins):
    (person id, kind, title, excerpt, url) each. At most one per person per day per
    `slot_kind` (`days` gives each person's local date): people already reached that day are
    skipped. The caller has already left out anything the person may not see. Fixed queries:
    read the day's slots, insert the new ones, insert the notifications, enqueue one email task."""
    from .models import DailySlot

    if not messages:
        return 0
    people = [m[0] for m in messages]
    taken = set(
        DailySlot.objects.for_org(organisation_id)
        .filter(kind=slot_kind, member_id__in=people, day__in=set(days.values()))
        .values_list("member_id", "day")
    )
    fresh = [m for m in messages if (m[0], days[m[0]]) not in taken]
    if not fresh:
        return 0
    DailySlot.objects.for_org(organisation_id).bulk_create(
        [
            DailySlot(
                organisation_id=organisation_id, member_id=m[0], kind=slot_kind, day=days[m[0]]
            )
            for m in fresh
        ],
        ignore_conflicts=True,
    )
    rows = Notification.objects.for_org(organisation_id).bulk_create(
        [
            Notification(
                organisation_id=organisation_id,
                recipient_id=pid,
                kind=kind,
                title=title[:300],
                excerpt=excerpt[:300],
                url=url[:500],
                target_kind="reminder",
                target_id=uuid.uuid4(),
            )
            for pid, kind, title, excerpt, url in fresh
        ]
    )
    _email_later(organisation_id, rows)
    return len(rows)


def _email_later(organisation_id: int, rows: list[Notification]) -> None:
    ids = [str(n.public_id) for n in rows]
    transaction.on_commit(
        partial(
            tasks.email_notifications.enqueue, organisation_id=organisation_id, notification_ids=ids
        )
    )


@transaction.atomic(savepoint=False)
def notify_people(
    *,
    organisation_id: int,
    messages: list[tuple[int, str, str, str, str]],
    target_kind: str,
    target_id: uuid.UUID,
) -> list[Notification]:
    """Notifications about something that is not an OKR item and has no visibility gate (an
    academy assignment, say): (person id, kind, title, excerpt, url) each. Deactivated people
    are left out; the caller keeps its own once-only bookkeeping. Fixed queries: find the
    active people, insert, enqueue one email task for all."""
    if not messages:
        return []
    active = set(
        Membership.objects.for_org(organisation_id)
        .filter(pk__in={m[0] for m in messages}, is_active=True, user__is_active=True)
        .values_list("pk", flat=True)
    )
    rows = [
        Notification(
            organisation_id=organisation_id,
            recipient_id=pid,
            kind=kind,
            title=title[:300],
            excerpt=excerpt[:300],
            url=url[:500],
            target_kind=target_kind,
            target_id=target_id,
        )
        for pid, kind, title, excerpt, url in messages
        if pid in active
    ]
    if not rows:
        return []
    created = Notification.objects.for_org(organisation_id).bulk_create(rows)
    _email_later(organisation_id, created)
    return created
