"""POST /api/v1/coach/review: the quality coach over HTTP, with the same JSON as `okr-coach`.

A single item ({"id", "kind", "text", "parent_objective"}) gets one review object, exactly as the
CLI prints it; {"objective": item, "key_results": [item, …]} gets the set review (each item plus
the set-level findings); {"items": [item, …]} reviews up to 500 items in one call."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

import coach
from coach import KeyResultDraft, ObjectiveDraft
from okrcoach.core.api.body import documented_body, parse_body
from okrcoach.core.api.schemas import ErrorOut, InSchema

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


class FindingOut(Schema):
    rule: str
    severity: Literal["blocking", "warning", "info"]
    message: str
    question: str
    suggestion: str


class FieldsOut(Schema):
    measurable: bool
    outcome: bool
    has_target: bool
    has_baseline: bool


class ReviewOut(Schema):
    id: str | int | None
    verdict: Literal["good", "weak", "bad"]
    score: int
    fields: FieldsOut
    findings: list[FindingOut]


class SetOut(Schema):
    objective: ReviewOut
    key_results: list[ReviewOut]
    findings: list[FindingOut]


class BatchOut(Schema):
    items: list[ReviewOut]


def _review_item(item: ItemIn | ReviewIn) -> dict[str, Any]:
    assert item.text is not None
    review = coach.review_text(item.text, kind=item.kind, parent_objective=item.parent_objective)
    out = review.to_dict()
    out["id"] = item.id
    return out


@router.post(
    "/coach/review",
    response={200: ReviewOut | SetOut | BatchOut, 422: ErrorOut},
    summary="Review an objective, a key result, a set or a batch",
    openapi_extra=documented_body(ReviewIn),
)
def review(request: HttpRequest) -> Any:
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
        result = coach.review_set(
            ObjectiveDraft(text=obj.text, id=None if obj.id is None else str(obj.id)),
            [KeyResultDraft(text=kr.text, id=None if kr.id is None else str(kr.id)) for kr in krs],
        ).to_dict()
        result["objective"]["id"] = obj.id
        for out, kr in zip(result["key_results"], krs, strict=True):
            out["id"] = kr.id
        return result
    return _review_item(payload)
