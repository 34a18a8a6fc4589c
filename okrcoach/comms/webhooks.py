"""Outgoing webhooks: the Standard Webhooks signature, the three body formats, and one delivery
attempt with its bookkeeping (status, response time, retries with exponential backoff, and
disabling an endpoint that keeps failing).

Signature (https://www.standardwebhooks.com/): headers `webhook-id`, `webhook-timestamp` (Unix
seconds) and `webhook-signature: v1,<base64 HMAC-SHA256>` computed with the base64-decoded part
of the `whsec_` secret over `"{id}.{timestamp}.{body}"`."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from okrcoach.orgs.models import Membership, Role

from . import netguard
from .models import Kind, Notification, WebhookDelivery, WebhookEndpoint

EVENT_TYPES = {
    "check_in.recorded": "A check-in was recorded",
    "key_result.at_risk": "A key result turned at risk",
    "key_result.graded": "A key result was graded",
    "comment.created": "A comment was posted",
    "objective.status_changed": "An objective's status changed",
}
MAX_ATTEMPTS = 5
DISABLE_AFTER = 10  # consecutive failed attempts, across deliveries
TIMEOUT_SECONDS = 10


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(secret: str, headers: dict[str, str], body: bytes, tolerance: int = 300) -> bool:
    """What a receiver does (our tests' receiver uses it): recompute and compare in constant
    time, and refuse a timestamp too far from now (replays)."""
    message_id = headers.get("webhook-id", "")
    timestamp = int(headers.get("webhook-timestamp", "0") or 0)
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = sign(secret, message_id, timestamp, body).split(",", 1)[1]
    offered = [s.split(",", 1)[1] for s in headers.get("webhook-signature", "").split() if "," in s]
    return any(hmac.compare_digest(expected, o) for o in offered)


def absolute(url: str) -> str:
    return url if url.startswith("http") else f"{settings.SITE_URL}{url}"


def _summary(payload: dict[str, Any]) -> tuple[str, str, str]:
    data = payload.get("data", {})
    title = str(data.get("title", ""))
    event = str(payload.get("type", ""))
    label = EVENT_TYPES.get(event, "Test event" if event == "test.ping" else event)
    detail = str(data.get("comment") or data.get("detail") or "")
    return label, title, detail


def body_for(endpoint_format: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The JSON body in the endpoint's format."""
    if endpoint_format == WebhookEndpoint.Format.GENERIC:
        return payload
    label, title, detail = _summary(payload)
    link = absolute(str(payload.get("data", {}).get("url", "/")))
    if endpoint_format == WebhookEndpoint.Format.SLACK:
        text = f"*{label}*: <{link}|{title}>"
        blocks: list[dict[str, Any]] = [
            {"type": "section", "text": {"type": "mrkdwn", "text": text}}
        ]
        if detail:
            blocks.append(
                {"type": "context", "elements": [{"type": "plain_text", "text": detail[:300]}]}
            )
        return {"text": f"{label}: {title}", "blocks": blocks}
    card_body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": label, "weight": "Bolder", "size": "Medium", "wrap": True},
        {"type": "TextBlock", "text": title, "wrap": True},
    ]
    if detail:
        card_body.append(
            {"type": "TextBlock", "text": detail[:300], "wrap": True, "isSubtle": True}
        )
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": card_body,
                    "actions": [
                        {"type": "Action.OpenUrl", "title": "Open in okrcoach", "url": link}
                    ],
                },
            }
        ],
    }


def backoff_seconds(attempt: int) -> float:
    """Wait before attempt `attempt + 1`: base, 2×base, 4×base… (attempt counts from 1)."""
    base = float(settings.WEBHOOK_RETRY_BASE_SECONDS)
    return float(base * 2 ** (attempt - 1))


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """One POST through the guarded opener (netguard.py): allowed addresses only, checked on
    the connected peer; a redirect is recorded, never followed."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with netguard.opener().open(request, timeout=TIMEOUT_SECONDS) as response:
            return int(response.status), ""
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            return int(exc.code), f"HTTP {exc.code}: redirects are not followed"
        return int(exc.code), f"HTTP {exc.code}"
    except netguard.RefusedAddress as exc:
        return None, str(exc)[:300]
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return None, str(getattr(exc, "reason", exc))[:300]


def attempt(delivery: WebhookDelivery) -> bool:
    """POST the delivery once and record the outcome. Returns True when another attempt should
    be scheduled (after `backoff_seconds(delivery.attempts)`)."""
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.error = "Endpoint disabled"
        delivery.save(update_fields=["status", "error"])
        return False
    body = json.dumps(body_for(endpoint.format, delivery.payload), separators=(",", ":")).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "okrcoach-webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(endpoint.secret, delivery.message_id, timestamp, body),
    }
    started = time.monotonic()
    status, error = _post(endpoint.url, body, headers)
    elapsed_ms = int((time.monotonic() - started) * 1000)
    now = timezone.now()
    ok = status is not None and 200 <= status < 300
    delivery.attempts += 1
    delivery.response_status = status
    delivery.response_ms = elapsed_ms
    delivery.error = error
    delivery.last_attempt_at = now
    retry = not ok and delivery.attempts < MAX_ATTEMPTS
    if ok:
        delivery.status = WebhookDelivery.Status.SUCCEEDED
        delivery.next_attempt_at = None
    elif retry:
        delivery.status = WebhookDelivery.Status.RETRYING
        delivery.next_attempt_at = now + timedelta(seconds=backoff_seconds(delivery.attempts))
    else:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    with transaction.atomic():
        delivery.save()
        _count_failure(endpoint, ok)
    return retry


def _count_failure(endpoint: WebhookEndpoint, ok: bool) -> None:
    if ok:
        if endpoint.consecutive_failures:
            endpoint.consecutive_failures = 0
            endpoint.save(update_fields=["consecutive_failures"])
        return
    endpoint.consecutive_failures += 1
    limit = int(getattr(settings, "WEBHOOK_DISABLE_AFTER", DISABLE_AFTER))
    if endpoint.consecutive_failures >= limit and endpoint.is_active:
        endpoint.is_active = False
        endpoint.disabled_at = timezone.now()
        _tell_admins(endpoint)
    endpoint.save(update_fields=["consecutive_failures", "is_active", "disabled_at"])


def _tell_admins(endpoint: WebhookEndpoint) -> None:
    """The endpoint's creator (else every admin) gets an inbox notification and an email."""
    from . import tasks

    admins = list(
        Membership.objects.for_org(endpoint.organisation_id)
        .filter(role=Role.ADMIN, is_active=True, user__is_active=True)
        .values_list("pk", flat=True)
    )
    recipients = [endpoint.created_by_id] if endpoint.created_by_id in admins else admins
    url = f"/o/{endpoint.organisation.slug}/webhooks/{endpoint.public_id}/"
    rows = Notification.objects.for_org(endpoint.organisation_id).bulk_create(
        [
            Notification(
                organisation_id=endpoint.organisation_id,
                recipient_id=pid,
                kind=Kind.WEBHOOK_DISABLED,
                title=f"Webhook endpoint disabled after {endpoint.consecutive_failures} failures",
                excerpt=endpoint.url[:300],
                url=url,
                target_kind="webhook_endpoint",
                target_id=endpoint.public_id,
            )
            for pid in recipients
            if pid
        ]
    )
    ids = [str(n.public_id) for n in rows]
    org_id = endpoint.organisation_id
    transaction.on_commit(
        lambda: tasks.email_notifications.enqueue(organisation_id=org_id, notification_ids=ids)
    )
