"""POST /api/v1/coach/review: the quality coach over HTTP, with the same JSON as `okr-coach`.

A single item ({"id", "kind", "text", "parent_objective"}) gets one review object, exactly as the
CLI prints it; {"objective": item, "key_results": [item, …]} gets the set review (each item plus
the set-level findings); {"items": [item, …]} reviews up to 500 items in one call."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from ninja import Field, Router, Schema, Status

import coach
from coach import KeyResultDraft, ObjectiveDraft, examples
from okrcoach.api.auth import actor
from okrcoach.core import throttle
from okrcoach.core.api.body import documented_body, parse_body
from okrcoach.core.api.schemas import NOT_FOUND, WRITE, ErrorOut, InSchema
from okrcoach.orgs.models import Membership

from . import coach_panel
from .coaching import objective_draft_of
from .forms import DismissForm
from .models import CoachDismissal, KeyResult, Objective
from .permissions import require_edit_objective
from .selectors import lookups
from .services.coach import dismiss_finding

router = Router(tags=["coach"])

MAX_TEXT = 2000


class ItemIn(InSchema):
    id: str | int | None = None
    kind: Literal["objective", "key_result"] | None = None
    text: str = Field(..., min_length=1, max_length=MAX_TEXT)
    parent_objective: str | None = Field(None, max_length=MAX_TEXT)


class ReviewIn(InSchema):
    # One of: a single item (its fields at top level), a set, or a batch of items.
    id: str | int | None = None
    kind: Literal["objective", "key_result"] | None = None
    text: str | None = Field(None, min_length=1, max_length=MAX_TEXT)
    parent_objective: str | None = Field(None, max_length=MAX_TEXT)
    objective: ItemIn | None = None
    key_results: list[ItemIn] | None = Field(None, max_length=20)
    items: list[ItemIn] | None = Field(None, min_length=1, max_length=500)


class ExampleOut(Schema):
    """A worked example for the item's domain (coach.examples), given when there is no rewrite:
    a task, the change it is for, and an objective with its key results."""

    domain: str
    label: str
    task: str
    outcome: str
    objective: str
    key_results: list[str]
    text: str


class FindingOut(Schema):
    rule: str
    severity: Literal["blocking", "warning", "info"]
    message: str
    question: str
    suggestion: str
    rewrite: str | None = None  # a new title that reviews strictly better, or null
    example: ExampleOut | None = None  # when there is no rewrite and the finding is on wording


class FieldsOut(Schema):
    measurable: bool
    outcome: bool
    has_target: bool
    has_baseline: bool


class ReviewOut(Schema):
    """`verdict`, `score` and `fields` are null when the text is not English: the coach says so
    in `message` and names the detected `language`."""

    id: str | int | None
    verdict: Literal["good", "weak", "bad"] | None
    score: int | None
    fields: FieldsOut | None
    findings: list[FindingOut]
    language: str = "en"
    message: str | None = None


class SetOut(Schema):
    """One overall verdict and score for the set, beside each item's own review."""

    verdict: Literal["good", "weak", "bad"] | None
    score: int | None
    objective: ReviewOut
    key_results: list[ReviewOut]
    findings: list[FindingOut]


class BatchOut(Schema):
    items: list[ReviewOut]


def _review_item(item: ItemIn | ReviewIn) -> dict[str, Any]:
    assert item.text is not None
    review = coach.review_text(item.text, kind=item.kind, parent_objective=item.parent_objective)
    out = examples.attach(review, review.to_dict(), item.text, item.parent_objective or "")
    out["id"] = item.id
    return out


def _error(status: int, detail: str, retry_after: int | None = None) -> JsonResponse:
    response = JsonResponse({"detail": detail, "field": None, "errors": None}, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _limited(request: HttpRequest) -> JsonResponse | None:
    """Per API token: a body size cap, requests per window and bytes per window."""
    size = len(request.body)
    if size > settings.COACH_MAX_BODY_BYTES:
        return _error(413, f"The body is over {settings.COACH_MAX_BODY_BYTES} bytes.")
    token = str(getattr(request, "api_token_id", "") or actor(request).pk)
    window = settings.THROTTLE_COACH_WINDOW
    for verdict in (
        throttle.take("coach-requests", token, settings.THROTTLE_COACH_PER_TOKEN, window),
        throttle.take(
            "coach-bytes", token, settings.THROTTLE_COACH_BYTES_PER_TOKEN, window, amount=size
        ),
    ):
        if not verdict.allowed:
            return _error(
                429,
                f"Too many coach reviews for this token; retry in {verdict.retry_after} s.",
                verdict.retry_after,
            )
    return None


_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds until this token may send again.",
        "schema": {"type": "integer", "minimum": 1},
    }
}


@router.post(
    "/coach/review",
    response={200: ReviewOut | SetOut | BatchOut, 413: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Review an objective, a key result, a set or a batch",
    description=(
        "Limited per API token: at most THROTTLE_COACH_PER_TOKEN requests (default 10) and "
        "THROTTLE_COACH_BYTES_PER_TOKEN bytes of bodies (default 2 MiB) per "
        "THROTTLE_COACH_WINDOW seconds (default 60); past either, 429 with Retry-After. "
        "A body over COACH_MAX_BODY_BYTES (default 1.2 MB) is refused with 413."
    ),
    openapi_extra={
        **documented_body(ReviewIn),
        "responses": {429: {"headers": _RETRY_AFTER}},
    },
)
def review(request: HttpRequest) -> Any:
    if (refused := _limited(request)) is not None:
        return refused
    payload = parse_body(request, ReviewIn)
    shapes = [payload.text is not None, payload.objective is not None, payload.items is not None]
    if sum(shapes) != 1:
        return Status(
            422,
            ErrorOut(
                detail="Send one of: an item with `text`, a set with `objective` and "
                "`key_results`, or `items`.",
                field="text",
            ),
        )
    if payload.items is not None:
        return {"items": [_review_item(item) for item in payload.items]}
    if payload.objective is not None:
        obj = payload.objective
        krs = payload.key_results or []
        reviewed = coach.review_set(
            ObjectiveDraft(text=obj.text, id=None if obj.id is None else str(obj.id)),
            [KeyResultDraft(text=kr.text, id=None if kr.id is None else str(kr.id)) for kr in krs],
        )
        result = reviewed.to_dict()
        examples.attach_set(reviewed, result, obj.text, [kr.text for kr in krs])
        result["objective"]["id"] = obj.id
        for out, kr in zip(result["key_results"], krs, strict=True):
            out["id"] = kr.id
        return result
    return _review_item(payload)


# --- the coach on a saved objective or key result, and dismissing a finding ------------------


class PanelFindingOut(FindingOut):
    rewrite: str | None


class PanelOut(Schema):
    """What the coach panel shows for the item as stored: the findings nobody dismissed for
    it, and how many were dismissed."""

    kind: Literal["objective", "key_result"]
    text: str
    verdict: Literal["good", "weak", "bad", ""]
    score: int | None
    findings: list[PanelFindingOut]
    dismissed: int
    # not English: no verdict (""), no score, and the coach's plain notice
    message: str | None = None
    # a worked example for the item's domain when a finding on the wording has no rewrite
    example: ExampleOut | None = None


class DismissIn(InSchema):
    rule: str = Field(..., max_length=40, description="The finding's rule, e.g. KR-03-TARGET.")
    reason: str = Field(..., max_length=300, description="Why the finding does not apply.")


def _panel(feedback: coach_panel.Feedback) -> PanelOut:
    return PanelOut(
        kind=feedback.kind,  # type: ignore[arg-type]
        text=feedback.text,
        verdict=feedback.verdict if feedback.reviewed else "",  # type: ignore[arg-type]
        score=feedback.score,
        findings=[PanelFindingOut(**vars(f)) for f in feedback.findings],
        dismissed=feedback.dismissed,
        message=feedback.not_english or None,
        example=(
            ExampleOut(**feedback.example.as_json(feedback.kind))
            if feedback.example is not None
            else None
        ),
    )


def _objective_feedback(m: Membership, objective: Objective) -> coach_panel.Feedback:
    return coach_panel.feedback(
        actor=m,
        kind=CoachDismissal.Kind.OBJECTIVE,
        draft=objective_draft_of(objective),
        target=objective,
    )


def _dismiss(
    request: HttpRequest,
    m: Membership,
    target: Objective | KeyResult,
    current: coach_panel.Feedback,
) -> None:
    """The page's Dismiss button: the page's form, and the finding must be one the coach
    raises now."""
    payload = parse_body(request, DismissIn)
    form = DismissForm({"rule": payload.rule, "reason": payload.reason})
    if form.is_valid() and form.cleaned_data["rule"] not in current.rules:
        form.add_error("rule", "The coach no longer raises this finding.")
    if not form.is_valid():
        raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
    dismiss_finding(
        actor=m,
        kind=current.kind,
        target=target,
        text=current.text,
        rule=form.cleaned_data["rule"],
        reason=form.cleaned_data["reason"],
    )


@router.get(
    "/okrs/objectives/{objective_id}/coach",
    response={200: PanelOut, **NOT_FOUND},
    summary="What the coach says about a saved objective",
)
def objective_coach(request: HttpRequest, objective_id: UUID) -> PanelOut:
    m = actor(request)
    objective = lookups.get_objective(m, objective_id)
    return _panel(_objective_feedback(m, objective))


@router.post(
    "/okrs/objectives/{objective_id}/coach/dismissals",
    response={201: PanelOut, **WRITE},
    summary="Dismiss a coach finding on an objective, with a reason (its editors)",
    openapi_extra=documented_body(DismissIn),
)
def dismiss_objective_finding(request: HttpRequest, objective_id: UUID) -> Status[Any]:
    m = actor(request)
    objective = lookups.get_objective(m, objective_id)
    require_edit_objective(m, objective)
    _dismiss(request, m, objective, _objective_feedback(m, objective))
    return Status(201, _panel(_objective_feedback(m, objective)))


@router.get(
    "/okrs/key-results/{key_result_id}/coach",
    response={200: PanelOut, **NOT_FOUND},
    summary="What the coach says about a saved key result",
)
def key_result_coach(request: HttpRequest, key_result_id: UUID) -> PanelOut:
    m = actor(request)
    kr = lookups.get_key_result(m, key_result_id)
    return _panel(coach_panel.stored_feedback(actor=m, key_result=kr))


@router.post(
    "/okrs/key-results/{key_result_id}/coach/dismissals",
    response={201: PanelOut, **WRITE},
    summary="Dismiss a coach finding on a key result, with a reason (its objective's editors)",
    openapi_extra=documented_body(DismissIn),
)
def dismiss_key_result_finding(request: HttpRequest, key_result_id: UUID) -> Status[Any]:
    m = actor(request)
    kr = lookups.get_key_result(m, key_result_id)
    require_edit_objective(m, kr.objective)
    _dismiss(request, m, kr, coach_panel.stored_feedback(actor=m, key_result=kr))
    return Status(201, _panel(coach_panel.stored_feedback(actor=m, key_result=kr)))
