"""Id-bearing comms routes for the isolation sweep (okrcoach/orgs/tests/test_url_permissions.py)."""

from __future__ import annotations

from typing import Any

from okrcoach.comms.models import Comment
from okrcoach.core.tests.isolation import Route
from okrcoach.orgs.models import Membership, Role, Team

from . import helpers


def _owner(org: Any) -> Membership:
    return Membership.objects.for_org(org).filter(role=Role.ADMIN).get()


def _kr(world: Any, org: Any) -> dict[str, Any]:
    return {"kind": "key_result", "target_id": helpers.key_result(_owner(org)).public_id}


def _comment(world: Any, org: Any) -> Comment:
    owner = _owner(org)
    return helpers.comment_on(owner, helpers.key_result(owner))


def _comment_id(world: Any, org: Any) -> dict[str, Any]:
    return {"comment_id": _comment(world, org).public_id}


def _notification_id(world: Any, org: Any) -> dict[str, Any]:
    return {"notification_id": helpers.notification_for(_owner(org)).public_id}


def _team_id(world: Any, org: Any) -> dict[str, Any]:
    return {"team_id": Team.objects.for_org(org).first().public_id}


def _endpoint_id(world: Any, org: Any) -> dict[str, Any]:
    return {"endpoint_id": helpers.endpoint(_owner(org)).public_id}


def _delivery_id(world: Any, org: Any) -> dict[str, Any]:
    return {"delivery_id": helpers.delivery_for(_owner(org)).public_id}


ROUTES = {
    "comms:thread": Route(_kr),
    "comms:compose_preview": Route(_kr, "post"),
    "comms:mention_people": Route(_kr),
    "comms:comment_edit": Route(_comment_id),
    "comms:comment_delete": Route(_comment_id, "post"),
    "comms:notification_open": Route(_notification_id),
    "comms:notification_read": Route(_notification_id, "post"),
    "comms:team_feed": Route(_team_id),
    "comms:target_feed": Route(_kr),
    "comms:webhook_detail": Route(_endpoint_id),
    "comms:webhook_test": Route(_endpoint_id, "post"),
    "comms:webhook_delete": Route(_endpoint_id, "post"),
    "comms:webhook_redeliver": Route(_delivery_id, "post"),
}

API_ROUTES: dict[str, Any] = {
    "/api/v1/comments/{kind}/{target_id}": _kr,
    "/api/v1/comments/{comment_id}": _comment_id,
    "/api/v1/notifications/{notification_id}/read": _notification_id,
    "/api/v1/webhooks/endpoints/{endpoint_id}": _endpoint_id,
    "/api/v1/webhooks/endpoints/{endpoint_id}/deliveries": _endpoint_id,
    "/api/v1/webhooks/endpoints/{endpoint_id}/test": _endpoint_id,
    "/api/v1/webhooks/deliveries/{delivery_id}/redeliver": _delivery_id,
}
