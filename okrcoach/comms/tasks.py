"""Background work of comms. Tasks take ids (never secrets, never rows), re-fetch inside the
organisation they name, and are safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from okrcoach.core.mail import queue_templated_email

from .models import Kind, Notification, WebhookDelivery, WebhookEndpoint

# Which profile switch governs the email of each kind (the inbox always shows every kind).
EMAIL_SWITCH = {
    Kind.MENTION: "mentions",
    Kind.REPLY: "mentions",
    Kind.COMMENT: "activity",
    Kind.CHECK_IN: "activity",
    Kind.AT_RISK: "activity",
    Kind.GRADE: "activity",
    Kind.RETRO_DUE: "retrospectives",
    Kind.ACADEMY: "academy",
    Kind.CHECK_IN_DUE: "check_in_reminders",
    Kind.LATE_CHECK_INS: "check_in_reminders",
    # Addressed to you by name, as a mention is.
    Kind.FEEDBACK_REQUEST: "mentions",
    Kind.FEEDBACK: "mentions",
    Kind.ACTION_ITEM: "activity",
}
UNSUBSCRIBE_SALT = "comms.unsubscribe"


def unsubscribe_url(user_id: int, switch: str) -> str:
    from django.conf import settings

    token = signing.dumps({"u": user_id, "s": switch}, salt=UNSUBSCRIBE_SALT, compress=True)
    return f"{settings.SITE_URL}{reverse('comms:unsubscribe')}?t={token}"


def list_unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 2369 + RFC 8058: mail clients offer a one-click unsubscribe that POSTs to the URL."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


@task()
def email_notifications(*, organisation_id: int, notification_ids: list[str]) -> int:
    """Email each notification whose recipient keeps that kind's switch on. Returns how many
    were queued."""
    from django.conf import settings

    rows = (
        Notification.objects.for_org(organisation_id)
        .filter(public_id__in=notification_ids, recipient__is_active=True)
        .filter(recipient__user__is_active=True)
        .select_related("recipient__user", "actor__user", "organisation")
    )
    sent = 0
    for n in rows:
        user = n.recipient.user
        switch = EMAIL_SWITCH.get(Kind(n.kind))
        if switch is not None and not user.wants_email(switch):
            continue
        unsubscribe = unsubscribe_url(user.pk, switch or "activity")
        path = reverse(
            "comms:notification_open",
            kwargs={"org_slug": n.organisation.slug, "notification_id": n.public_id},
        )
        link = f"{settings.SITE_URL}{path}"
        queue_templated_email(
            to=user.email,
            template="comms/email/notification",
            context={
                "n": n,
                "link": link,
                "unsubscribe": unsubscribe if switch else "",
                "organisation": n.organisation,
            },
            headers=list_unsubscribe_headers(unsubscribe) if switch else None,
        )
        sent += 1
    return sent


@task()
def fan_out_event(*, organisation_id: int, event_type: str, payload: dict[str, object]) -> int:
    """One delivery per active endpoint subscribed to the event, each attempted by its own task."""
    from . import services

    endpoints = [
        e
        for e in WebhookEndpoint.objects.for_org(organisation_id).filter(is_active=True)
        if event_type in e.events
    ]
    for endpoint in endpoints:
        services._queue_delivery(endpoint, event_type, dict(payload))
    return len(endpoints)


@task()
def deliver_webhook(*, organisation_id: int, delivery_id: str) -> str:
    """Attempt one delivery; on failure enqueue the next attempt after the backoff."""
    from . import webhooks

    delivery = (
        WebhookDelivery.objects.for_org(organisation_id)
        .select_related("endpoint__organisation")
        .get(public_id=delivery_id)
    )
    if delivery.status in (WebhookDelivery.Status.SUCCEEDED, WebhookDelivery.Status.FAILED):
        return delivery.status  # already settled: running twice sends once
    if webhooks.attempt(delivery):
        wait = webhooks.backoff_seconds(delivery.attempts)
        deliver_webhook.using(run_after=timezone.now() + timedelta(seconds=wait)).enqueue(
            organisation_id=organisation_id, delivery_id=delivery_id
        )
    return delivery.status


@task()
def send_weekly_digests(*, organisation_id: int | None = None, today: str | None = None) -> int:
    """The weekly digest for every active member (of one organisation or all): once per ISO
    week per person, however often this runs."""
    import datetime as dt

    from . import digest

    day = dt.date.fromisoformat(today) if today else None
    return digest.send_weekly_digests(organisation_id=organisation_id, today=day)
