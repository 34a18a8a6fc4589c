from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client

from conftest import World
from okrcoach.api.services import create_api_token


@pytest.fixture
def client_and_auth(world: World) -> tuple[Client, dict[str, str]]:
    raw = create_api_token(membership=world.member, name="coach")[1]
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client_and_auth, body: object):
    client, auth = client_and_auth
    return client.post(
        "/api/v1/coach/review", json.dumps(body), content_type="application/json", **auth
    )


def cli(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = subprocess.run(
        [sys.executable, "-m", "coach.cli", "review"],
        input="\n".join(json.dumps(line) for line in lines),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [json.loads(line) for line in out.splitlines()]


@pytest.mark.django_db
def test_a_single_item_gets_exactly_what_the_cli_prints(client_and_auth) -> None:
    item = {"id": "k1", "kind": "key_result", "text": "Publish a new onboarding guide for clinics"}
    response = post(client_and_auth, item)
    assert response.status_code == 200
    assert response.json() == cli([item])[0]
    assert response.json()["verdict"] == "bad"


@pytest.mark.django_db
def test_a_set_gets_each_item_and_the_set_findings(client_and_auth) -> None:
    body = {
        "objective": {
            "id": "o1",
            "text": "Clinics get value from the scheduler in their first week",
        },
        "key_results": [
            {
                "id": "k1",
                "text": "Clinics booking a first patient within 7 days rise from 30% to 55%",
            }
        ],
    }
    result = post(client_and_auth, body).json()
    assert result["objective"]["id"] == "o1" and result["key_results"][0]["id"] == "k1"
    assert "SET-01-KR-COUNT" in {f["rule"] for f in result["findings"]}


@pytest.mark.django_db
def test_a_batch_is_reviewed_in_order(client_and_auth) -> None:
    items = [
        {"id": i, "text": t}
        for i, t in enumerate(["Hire two recruiters", "NPS above 45 by 30 June"])
    ]
    result = post(client_and_auth, {"items": items}).json()
    assert [r["id"] for r in result["items"]] == [0, 1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"kind": "goal", "text": "x"}, "kind"),
        ({}, "text"),
        ({"items": []}, "items"),
        ({"text": "x" * 2001}, "text"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(client_and_auth, body, field) -> None:
    response = post(client_and_auth, body)
    assert response.status_code == 422
    assert response.json()["field"] == field


@pytest.mark.django_db
def test_malformed_json_is_a_4xx_json_answer_not_a_500(client_and_auth) -> None:
    client, auth = client_and_auth
    response = client.post(
        "/api/v1/coach/review", "{not json", content_type="application/json", **auth
    )
    assert 400 <= response.status_code < 500 and "detail" in response.json()


@pytest.mark.django_db
def test_the_coach_needs_a_token(world: World) -> None:
    assert (
        Client().post("/api/v1/coach/review", "{}", content_type="application/json").status_code
        == 401
    )


@pytest.mark.django_db
def test_text_in_another_language_gets_no_verdict_and_says_so(client_and_auth) -> None:
    item = {"id": "x1", "kind": "objective", "text": "Fidéliser les bénévoles de nos antennes"}
    body = post(client_and_auth, item).json()
    assert body == cli([item])[0]
    assert body["verdict"] is None and body["score"] is None and body["language"] == "fr"
    assert "reviews English text today" in body["message"]


@pytest.mark.django_db
def test_a_set_has_one_overall_verdict(client_and_auth) -> None:
    body = {
        "objective": {"id": "o1", "text": "Tenants get repairs done without chasing us"},
        "key_results": [
            {"id": "k1", "text": "Repairs closed within 10 days rise from 55% to 80%"},
            {"id": "k2", "text": "Publish a repairs charter"},
        ],
    }
    result = post(client_and_auth, body).json()
    assert result["key_results"][1]["verdict"] == "bad"
    assert result["verdict"] == "bad" and 0 <= result["score"] <= 39
