"""/api/v1 comments, notifications and webhook endpoints: the same targets, services and
checks as the pages (a target the token's member may not see is a 404; webhooks are for admins,
403 for anyone else)."""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from okrcoach.core.api.body import documented_body, parse_body
from okrcoach.core.api.pagination import PagePagination
from okrcoach.core.api.schemas import FORBIDDEN, NOT_FOUND, WRITE, InSchema
from okrcoach.orgs.access import get_for_member_or_404, require_admin
from okrcoach.orgs.models import Membership

from . import selectors, services, targets
from .models import Comment, Notification, WebhookDelivery, WebhookEndpoint
from .webhooks import EVENT_TYPES

router = Router(tags=["communication"])


def actor(request: HttpRequest) -> Membership:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    return membership


class CommentOut(Schema):
    id: UUID
    parent_id: UUID | None
    author_id: UUID
    author_name: str
    body: str
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    deleted: bool

    @staticmethod
    def resolve_id(c: Comment) -> UUID:
        return c.public_id

    @staticmethod
    def resolve_parent_id(c: Comment) -> UUID | None:
        return c.parent.public_id if c.parent is not None else None

    @staticmethod
    def resolve_author_id(c: Comment) -> UUID:
        return c.author.public_id

    @staticmethod
    def resolve_author_name(c: Comment) -> str:
        return c.author.user.full_name

    @staticmethod
    def resolve_deleted(c: Comment) -> bool:
        return c.is_deleted


class CommentIn(InSchema):
    body: str = Field(min_length=1, max_length=services.MAX_COMMENT)
    parent_id: UUID | None = None


class CommentEditIn(InSchema):
    body: str = Field(min_length=1, max_length=services.MAX_COMMENT)


def _comments(m: Membership) -> QuerySet[Comment]:
    return Comment.objects.for_org(m.organisation).select_related("author__user", "parent")


@router.get(
    "/comments/{kind}/{target_id}",
    response={200: list[CommentOut], **NOT_FOUND},
    summary="Comments on an objective, key result or check-in (kind: objective, key_result, "
    "check_in)",
)
@paginate(PagePagination)
def list_comments(request: HttpRequest, kind: str, target_id: UUID) -> QuerySet[Comment]:
    m = actor(request)
    target = targets.resolve(m, kind, target_id)
    return _comments(m).filter(target_kind=target.kind, target_id=target.public_id)


@router.post(
    "/comments/{kind}/{target_id}",
    response={201: CommentOut, **WRITE},
    summary="Post a comment or a reply (mentions with @handle notify people who may see it)",
    openapi_extra=documented_body(CommentIn),
)
def post_comment(request: HttpRequest, kind: str, target_id: UUID) -> Status[Any]:
    m = actor(request)
    target = targets.resolve(m, kind, target_id)
    payload = parse_body(request, CommentIn)
    parent = None
    if payload.parent_id is not None:
        parent = get_for_member_or_404(
            _comments(m).filter(target_kind=target.kind, target_id=target.public_id),
            m,
            public_id=payload.parent_id,
        )
    comment = services.post_comment(actor=m, target=target, body=payload.body, parent=parent)
    return Status(201, _comments(m).get(pk=comment.pk))


def _own_comment(m: Membership, comment_id: UUID) -> Comment:
    comment = get_for_member_or_404(_comments(m), m, public_id=comment_id)
    targets.resolve(m, comment.target_kind, comment.target_id)  # 404 if no longer visible
    return comment


@router.patch(
    "/comments/{comment_id}",
    response={200: CommentOut, **WRITE},
    summary="Edit your comment (the earlier text is kept)",
    openapi_extra=documented_body(CommentEditIn),
)
def edit_comment(request: HttpRequest, comment_id: UUID) -> Comment:
    m = actor(request)
    comment = _own_comment(m, comment_id)
    payload = parse_body(request, CommentEditIn)
    services.edit_comment(actor=m, comment=comment, body=payload.body)
    return _comments(m).get(pk=comment.pk)


@router.delete(
    "/comments/{comment_id}",
    response={204: None, **WRITE},
    summary="Delete your comment",
)
def delete_comment(request: HttpRequest, comment_id: UUID) -> Status[None]:
    m = actor(request)
    services.delete_comment(actor=m, comment=_own_comment(m, comment_id))
    return Status(204, None)


class NotificationOut(Schema):
    id: UUID
    kind: str
    title: str
    excerpt: str
    url: str
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_id(n: Notification) -> UUID:
        return n.public_id


@router.get("/notifications", response={200: list[NotificationOut]}, summary="Your notifications")
@paginate(PagePagination)
def list_notifications(request: HttpRequest, unread: bool = False) -> QuerySet[Notification]:
    return selectors.inbox(actor(request), unread_only=unread)


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **NOT_FOUND},
    summary="Mark one notification read",
)
def read_notification(request: HttpRequest, notification_id: UUID) -> Notification:
    m = actor(request)
    notification = selectors.get_notification(m, notification_id)
    return services.mark_read(member=m, notification=notification)


class ReadAllOut(Schema):
    marked: int


@router.post("/notifications/read-all", response={200: ReadAllOut}, summary="Mark all read")
def read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked": services.mark_all_read(member=actor(request))}


EventName = Literal[tuple(EVENT_TYPES)]  # type: ignore[valid-type]


class EndpointOut(Schema):
    id: UUID
    url: str
    description: str
    format: str
    events: list[str]
    is_active: bool
    secret: str
    consecutive_failures: int

    @staticmethod
    def resolve_id(e: WebhookEndpoint) -> UUID:
        return e.public_id


class EndpointIn(InSchema):
    url: str = Field(max_length=500, pattern=r"^https?://")
    format: Literal["generic", "slack", "teams"] = "generic"
    events: list[EventName] = Field(min_length=1)  # type: ignore[valid-type]
    description: str = Field("", max_length=200)


class DeliveryOut(Schema):
    id: UUID
    event_type: str
    message_id: str
    status: str
    attempts: int
    response_status: int | None
    response_ms: int | None
    error: str
    created_at: datetime
    next_attempt_at: datetime | None

    @staticmethod
    def resolve_id(d: WebhookDelivery) -> UUID:
        return d.public_id


def _endpoint(m: Membership, endpoint_id: UUID) -> WebhookEndpoint:
    require_admin(m)
    return get_for_member_or_404(
        WebhookEndpoint.objects.for_org(m.organisation), m, public_id=endpoint_id
    )


@router.get(
    "/webhooks/endpoints",
    response={200: list[EndpointOut], **FORBIDDEN},
    summary="The organisation's webhook endpoints (admins)",
)
@paginate(PagePagination)
def list_endpoints(request: HttpRequest) -> QuerySet[WebhookEndpoint]:
    m = actor(request)
    require_admin(m)
    return WebhookEndpoint.objects.for_org(m.organisation)


@router.post(
    "/webhooks/endpoints",
    response={201: EndpointOut, **WRITE},
    summary="Add a webhook endpoint (admins)",
    openapi_extra=documented_body(EndpointIn),
)
def create_endpoint(request: HttpRequest) -> Status[Any]:
    m = actor(request)
    require_admin(m)
    payload = parse_body(request, EndpointIn)
    endpoint = services.create_webhook_endpoint(
        actor=m,
        url=payload.url,
        format=payload.format,
        events=list(payload.events),
        description=payload.description,
    )
    return Status(201, endpoint)


@router.get(
    "/webhooks/endpoints/{endpoint_id}",
    response={200: EndpointOut, **FORBIDDEN, **NOT_FOUND},
    summary="One webhook endpoint",
)
def get_endpoint(request: HttpRequest, endpoint_id: UUID) -> WebhookEndpoint:
    return _endpoint(actor(request), endpoint_id)


@router.delete(
    "/webhooks/endpoints/{endpoint_id}",
    response={204: None, **FORBIDDEN, **NOT_FOUND},
    summary="Delete a webhook endpoint",
)
def delete_endpoint(request: HttpRequest, endpoint_id: UUID) -> Status[None]:
    m = actor(request)
    services.delete_webhook_endpoint(actor=m, endpoint=_endpoint(m, endpoint_id))
    return Status(204, None)


@router.get(
    "/webhooks/endpoints/{endpoint_id}/deliveries",
    response={200: list[DeliveryOut], **FORBIDDEN, **NOT_FOUND},
    summary="The endpoint's delivery log, newest first",
)
@paginate(PagePagination)
def list_deliveries(request: HttpRequest, endpoint_id: UUID) -> QuerySet[WebhookDelivery]:
    m = actor(request)
    endpoint = _endpoint(m, endpoint_id)
    return WebhookDelivery.objects.for_org(m.organisation).filter(endpoint=endpoint)


@router.post(
    "/webhooks/endpoints/{endpoint_id}/test",
    response={202: DeliveryOut, **FORBIDDEN, **NOT_FOUND},
    summary="Send a test event",
)
def send_test(request: HttpRequest, endpoint_id: UUID) -> Status[Any]:
    m = actor(request)
    return Status(202, services.send_test_event(actor=m, endpoint=_endpoint(m, endpoint_id)))


@router.post(
    "/webhooks/deliveries/{delivery_id}/redeliver",
    response={202: DeliveryOut, **FORBIDDEN, **NOT_FOUND},
    summary="Send a delivery's message again",
)
def redeliver(request: HttpRequest, delivery_id: UUID) -> Status[Any]:
    m = actor(request)
    require_admin(m)
    delivery = get_for_member_or_404(
        WebhookDelivery.objects.for_org(m.organisation).select_related("endpoint"),
        m,
        public_id=delivery_id,
    )
    return Status(202, services.redeliver(actor=m, delivery=delivery))
