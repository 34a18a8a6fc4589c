"""The objective and key-result lists write their rows straight to JSON (core/api/rows.py)
instead of validating them through the response schemas: the bytes must be exactly those
django-ninja sends for the same objects through the schemas (field order, floats, nulls, dates,
a parent the reader may not see)."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.test import Client
from django.utils import timezone
from ninja.responses import NinjaJSONEncoder

from conftest import World
from okrcoach.api.services import create_api_token
from okrcoach.okrs.api import KeyResultOut, KeyResultPage, ObjectiveOut, ObjectivePage
from okrcoach.okrs.models import Cycle, KeyResult, Objective
from okrcoach.orgs.models import Membership

from .factories import KeyResultFactory, ObjectiveFactory


def _get(membership: Membership, url: str) -> Any:
    _token, raw = create_api_token(membership=membership, name="bytes")
    response = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response


def _ninja_bytes(page_schema: Any, page: dict[str, Any]) -> bytes:
    """What ninja sends for this page: validated through the schema, dumped, encoded."""
    return json.dumps(page_schema.model_validate(page).model_dump(), cls=NinjaJSONEncoder).encode()


def _varied(world: World, cycle: Cycle) -> None:
    hidden_parent = ObjectiveFactory(
        cycle=cycle,
        owner=world.admin,
        level=Objective.Level.COMPANY,
        visibility=Objective.Visibility.PRIVATE,
    )
    seen = ObjectiveFactory(
        cycle=cycle,
        owner=world.member,
        team=world.team,
        level=Objective.Level.TEAM,
        parent=hidden_parent,
        progress=Decimal("0.3333"),
        score=Decimal("0.7"),
        weight=Decimal("2.50"),
    )
    ObjectiveFactory(cycle=cycle, owner=world.peer, parent=seen, status=Objective.Status.DRAFT)
    KeyResultFactory(
        objective=seen,
        baseline=None,
        target=Decimal("12.5000"),
        stretch=Decimal("20"),
        current_value=Decimal("3.25"),
        confidence=None,
        next_check_in_due=timezone.localdate() + timedelta(days=3),
    )
    KeyResultFactory(
        objective=seen,
        kr_type=KeyResult.KRType.MILESTONE,
        baseline=None,
        target=None,
        milestone_done=True,
        confidence=6,
        progress=Decimal("1"),
        score=Decimal("0.9"),
    )


def test_key_result_list_bytes_are_ninjas(world: World, cycle: Cycle) -> None:
    _varied(world, cycle)
    response = _get(world.member, "/api/v1/okrs/key-results?limit=50")
    expected = list(
        KeyResult.objects.for_org(world.org)
        .visible_to(world.member)
        .select_related("objective", "owner")
        .order_by("objective_id", "position", "id")
    )
    assert len(expected) == 2
    assert response.content == _ninja_bytes(KeyResultPage, {"items": expected, "next": None})
    # and each item is what the one-key-result endpoint says of it
    assert response.json()["items"][0] == json.loads(
        json.dumps(KeyResultOut.model_validate(expected[0]).model_dump(), cls=NinjaJSONEncoder)
    )


def test_objective_list_bytes_are_ninjas_with_a_hidden_parent(world: World, cycle: Cycle) -> None:
    _varied(world, cycle)
    response = _get(world.member, "/api/v1/okrs/objectives?limit=50")
    expected = list(
        Objective.objects.for_org(world.org)
        .visible_to(world.member)
        .select_related("cycle", "team", "owner", "parent")
        .order_by("level", "position", "pk")
    )
    assert len(expected) == 2  # the private company objective is not the member's to see
    assert response.content == _ninja_bytes(ObjectivePage, {"items": expected, "next": None})
    team_objective = next(i for i in response.json()["items"] if i["level"] == "team")
    assert team_objective["parent_id"] is None  # its parent is private to the member
    assert ObjectiveOut.model_fields.keys() == team_objective.keys()


def test_an_admin_sees_the_parent_and_offset_pages_keep_their_fields(
    world: World, cycle: Cycle
) -> None:
    _varied(world, cycle)
    response = _get(world.admin, "/api/v1/okrs/objectives?page=1&page_size=2")
    expected = list(
        Objective.objects.for_org(world.org)
        .visible_to(world.admin)
        .select_related("cycle", "team", "owner", "parent")
        .order_by("cycle__starts_on", "cycle_id", "level", "position", "pk")[:2]
    )
    body = response.json()
    assert body["count"] == 3 and body["pages"] == 2 and body["next"] is not None
    page = {k: body[k] for k in ("next", "count", "page", "page_size", "pages")}
    assert response.content == _ninja_bytes(ObjectivePage, {**page, "items": expected})
    assert any(i["parent_id"] is not None for i in body["items"])
