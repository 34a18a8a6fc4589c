"""Issue 10, problem 10: the coach endpoint is limited per API token, in requests and in bytes,
with a JSON 429 and Retry-After (413 for a body over the cap); the OpenAPI document says so."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, override_settings

from conftest import World
from okrcoach.api.services import create_api_token

URL = "/api/v1/coach/review"
ITEM = {"text": "Grow weekly active teams from 40 to 60", "kind": "objective"}


def _post(raw: str, body: object) -> Any:
    return Client().post(
        URL, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )


@pytest.mark.django_db
@override_settings(THROTTLE_COACH_PER_TOKEN=3, THROTTLE_COACH_WINDOW=60)
def test_coach_requests_are_limited_per_token_with_retry_after(world: World) -> None:
    raw = create_api_token(membership=world.member, name="one")[1]
    other = create_api_token(membership=world.member, name="two")[1]
    assert [_post(raw, ITEM).status_code for _ in range(3)] == [200, 200, 200]
    refused = _post(raw, ITEM)
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert "Too many" in refused.json()["detail"]
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Another token is counted on its own.
    assert _post(other, ITEM).status_code == 200


@pytest.mark.django_db
@override_settings(THROTTLE_COACH_BYTES_PER_TOKEN=300_000, THROTTLE_COACH_PER_TOKEN=100)
def test_coach_bytes_are_limited_per_token(world: World) -> None:
    raw = create_api_token(membership=world.member, name="bulk")[1]
    batch = {"items": [{"text": "Ship the new onboarding flow " * 60}] * 120}  # ~220 kB
    assert _post(raw, batch).status_code == 200
    second = _post(raw, batch)
    assert second.status_code == 429
    assert int(second["Retry-After"]) >= 1


@pytest.mark.django_db
@override_settings(COACH_MAX_BODY_BYTES=10_000)
def test_a_body_over_the_cap_is_a_413_json_answer(world: World) -> None:
    raw = create_api_token(membership=world.member, name="big")[1]
    response = _post(raw, {"items": [{"text": "x" * 1900}] * 10})
    assert response.status_code == 413
    assert response.json()["detail"]


@pytest.mark.django_db
def test_the_openapi_document_states_the_limits() -> None:
    document = Client().get("/api/v1/openapi.json").json()
    operation = document["paths"][URL]["post"]
    assert "Retry-After" in operation["responses"]["429"]["headers"]
    assert "413" in operation["responses"]
    assert "THROTTLE_COACH_PER_TOKEN" in operation["description"]
