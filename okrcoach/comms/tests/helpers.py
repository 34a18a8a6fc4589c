"""Shared test data for comms: OKR targets (comms addresses them through okrs' adapter)."""

from __future__ import annotations

from typing import Any, cast

from okrcoach.comms import services, targets
from okrcoach.comms.models import Comment, Notification, WebhookDelivery, WebhookEndpoint
from okrcoach.okrs.models import KeyResult, Objective
from okrcoach.okrs.tests.factories import CycleFactory, KeyResultFactory, ObjectiveFactory
from okrcoach.orgs.models import Membership


def objective(owner: Membership, *, private: bool = False, **extra: Any) -> Objective:
    visibility = Objective.Visibility.PRIVATE if private else Objective.Visibility.PUBLIC
    cycle = extra.pop("cycle", None) or CycleFactory(organisation=owner.organisation)
    return cast(
        Objective, ObjectiveFactory(cycle=cycle, owner=owner, visibility=visibility, **extra)
    )


def key_result(owner: Membership, *, private: bool = False, **extra: Any) -> KeyResult:
    return cast(KeyResult, KeyResultFactory(objective=objective(owner, private=private), **extra))


def kr_target(actor: Membership, kr: KeyResult) -> targets.Target:
    return targets.resolve(actor, "key_result", kr.public_id)


def comment_on(author: Membership, kr: KeyResult, body: str = "Looks good") -> Comment:
    return services.post_comment(actor=author, target=kr_target(author, kr), body=body)


def endpoint(
    admin: Membership, url: str = "https://hooks.example.test/x", **extra: Any
) -> WebhookEndpoint:
    return services.create_webhook_endpoint(
        actor=admin,
        url=url,
        format=extra.pop("format", "generic"),
        events=extra.pop("events", ["check_in.recorded", "comment.created"]),
    )


def notification_for(member: Membership) -> Notification:
    kr = key_result(member)
    return Notification.objects.for_org(member.organisation).create(
        organisation=member.organisation,
        recipient=member,
        kind="mention",
        title="Someone mentioned you",
        url="/",
        target_kind="key_result",
        target_id=kr.public_id,
        gate_id=kr.objective.public_id,
    )


def delivery_for(admin: Membership) -> WebhookDelivery:
    e = endpoint(admin)
    return WebhookDelivery.objects.for_org(admin.organisation).create(
        organisation=admin.organisation,
        endpoint=e,
        event_type="test.ping",
        message_id="msg_x",
        payload={"type": "test.ping", "data": {}},
    )
