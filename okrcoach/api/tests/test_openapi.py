"""The OpenAPI document tells the truth about every operation: the errors it can answer, the
bodies it takes, and the one JSON error shape; and the API is assembled above the apps."""

from __future__ import annotations

import pathlib
from typing import Any

import pytest
from django.test import Client

from okrcoach.api_v1 import api

ERROR_REF = "#/components/schemas/ErrorOut"


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    return [
        (method.upper(), path, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_operation_behind_the_token_declares_401_as_json() -> None:
    secured = [(m, p, o) for m, p, o in _operations() if o.get("security")]
    assert len(secured) >= 50
    for method, path, operation in secured:
        response = operation["responses"].get(401)
        assert response, f"{method} {path} does not declare 401"
        assert response["content"]["application/json"]["schema"]["$ref"] == ERROR_REF


def test_every_error_response_uses_the_one_error_schema() -> None:
    for method, path, operation in _operations():
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": ERROR_REF}, f"{method} {path} {status}"


def test_operations_with_input_declare_422_and_ids_declare_404() -> None:
    for method, path, operation in _operations():
        if operation.get("parameters") or operation.get("requestBody"):
            assert 422 in operation["responses"], f"{method} {path}"
        if "{" in path:
            assert 404 in operation["responses"], f"{method} {path}"


def test_every_request_body_refuses_unknown_fields() -> None:
    bodies = [(m, p, o["requestBody"]) for m, p, o in _operations() if o.get("requestBody")]
    assert len(bodies) >= 20
    for method, path, body in bodies:
        for content in body["content"].values():  # JSON, or multipart for a file upload
            assert content["schema"].get("additionalProperties") is False, f"{method} {path}"


@pytest.mark.django_db
def test_a_missing_token_is_401_json_and_the_guide_is_served() -> None:
    response = Client().get("/api/v1/okrs/cycles")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Send a valid personal API token")
    description = Client().get("/api/v1/openapi.json").json()["info"]["description"]
    for topic in ("## Authentication", "## Pagination", "## Errors", "If-Match", "Rate limits"):
        assert topic in description


def test_no_app_imports_the_assembled_api() -> None:
    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.glob("*/**/*.py")
        if "api_v1" in path.read_text(encoding="utf-8")
        and "tests" not in path.parts
        and path.name != "urls.py"
    ]
    assert not offenders, offenders
