"""The weekly digest: per person, once per ISO week, in batches whose query count does not grow
with the batch (members, already-sent marks, each registered section, mentions, team changes,
one bulk insert), rendered in memory and sent over one SMTP connection per batch.

Sections about things comms does not own ("what you owe", academy items due) come from the
apps that own them: each registers a builder in its AppConfig.ready() that answers for a whole
batch of members in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from okrcoach.orgs.models import Membership, Organisation

from .models import DigestSent, FeedEntry, Kind, Notification
from .tasks import list_unsubscribe_headers, unsubscribe_url

BATCH_SIZE = 500


@dataclass(frozen=True)
class DigestItem:
    title: str
    url: str  # a path; the digest prefixes SITE_URL
    detail: str = ""


@dataclass
class Digest:
    member: Membership
    iso_week: str
    sections: list[tuple[str, list[DigestItem]]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(items for _title, items in self.sections)


SectionBuilder = Callable[[Organisation, list[Membership], dt.date], dict[int, list[DigestItem]]]
_sections: list[tuple[str, SectionBuilder]] = []


def register_digest_section(title: str, build: SectionBuilder) -> None:
    """`build(org, members, today)` returns {member id: items}, in a fixed number of queries."""
    _sections.append((title, build))


def iso_week(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _mentions(org: Organisation, ids: list[int], since: dt.datetime) -> dict[int, list[DigestItem]]:
    found: dict[int, list[DigestItem]] = defaultdict(list)
    rows = (
        Notification.objects.for_org(org)
        .filter(recipient_id__in=ids, kind__in=[Kind.MENTION, Kind.REPLY], created_at__gte=since)
        .order_by("recipient_id", "-created_at")
        .values_list("recipient_id", "title", "url", "excerpt")
    )
    for recipient_id, title, url, excerpt in rows:
        found[recipient_id].append(DigestItem(title, url, excerpt))
    return found


def _team_changes(
    org: Organisation, members: list[Membership], since: dt.datetime
) -> dict[int, list[DigestItem]]:
    """Status changes, new at-risk key results and grades in each member's team. Private items
    are left out for everyone: a digest section goes to a whole team at once."""
    team_ids = {m.team_id for m in members if m.team_id}
    by_team: dict[int, list[DigestItem]] = defaultdict(list)
    rows = (
        FeedEntry.objects.for_org(org)
        .filter(team_id__in=team_ids, created_at__gte=since, is_private=False)
        .filter(verb__in=[FeedEntry.Verb.STATUS, FeedEntry.Verb.AT_RISK, FeedEntry.Verb.GRADED])
        .order_by("-created_at")
        .values_list("team_id", "verb", "title", "url", "detail")[:2000]
    )
    labels = dict(FeedEntry.Verb.choices)
    for team_id, verb, title, url, detail in rows:
        if len(by_team[team_id]) < 10:
            by_team[team_id].append(
                DigestItem(f"{str(labels[verb]).capitalize()}: {title}", url, detail)
            )
    return {m.pk: by_team.get(m.team_id, []) for m in members if m.team_id}


def build_digests(org: Organisation, members: list[Membership], today: dt.date) -> list[Digest]:
    """The digests of a batch of members (users joined): a fixed number of queries."""
    since = timezone.now() - dt.timedelta(days=7)
    ids = [m.pk for m in members]
    built = [(title, build(org, members, today)) for title, build in _sections]
    mentions = _mentions(org, ids, since)
    team = _team_changes(org, members, since)
    week = iso_week(today)
    digests = []
    for m in members:
        sections = [(title, items.get(m.pk, [])) for title, items in built]
        sections.append(("Mentions and replies", mentions.get(m.pk, [])))
        sections.append(("What changed in your team", team.get(m.pk, [])))
        digests.append(Digest(m, week, sections))
    return digests


def render_digest(digest: Digest, org: Organisation) -> EmailMultiAlternatives:
    user = digest.member.user
    unsubscribe = unsubscribe_url(user.pk, "weekly_digest")
    context = {
        "digest": digest,
        "organisation": org,
        "user": user,
        "site_url": settings.SITE_URL,
        "home": f"{settings.SITE_URL}/o/{org.slug}/",
        "unsubscribe": unsubscribe,
    }
    subject = render_to_string("comms/email/digest_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("comms/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers=list_unsubscribe_headers(unsubscribe),
    )
    message.attach_alternative(render_to_string("comms/email/digest.html", context), "text/html")
    return message


def send_batch(org: Organisation, members: list[Membership], today: dt.date) -> int:
    week = iso_week(today)
    ids = [m.pk for m in members]
    with transaction.atomic():
        done = set(
            DigestSent.objects.for_org(org)
            .filter(iso_week=week, member_id__in=ids)
            .values_list("member_id", flat=True)
        )
        todo = [m for m in members if m.pk not in done and m.user.wants_email("weekly_digest")]
        if not todo:
            return 0
        # Marked before sending: a crash mid-batch skips those people this week rather than
        # mailing them twice when the task runs again.
        DigestSent.objects.for_org(org).bulk_create(
            [DigestSent(organisation=org, member=m, iso_week=week) for m in todo],
            ignore_conflicts=True,
        )
    messages = [render_digest(d, org) for d in build_digests(org, todo, today) if not d.is_empty]
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


def send_weekly_digests(*, organisation_id: int | None = None, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    orgs = Organisation.objects.all()
    if organisation_id is not None:
        orgs = orgs.filter(pk=organisation_id)
    sent = 0
    for org in orgs:
        last = 0
        while True:
            batch = list(
                Membership.objects.for_org(org)
                .filter(is_active=True, user__is_active=True, pk__gt=last)
                .select_related("user")
                .order_by("pk")[:BATCH_SIZE]
            )
            if not batch:
                break
            last = batch[-1].pk
            sent += send_batch(org, batch, today)
    return sent
