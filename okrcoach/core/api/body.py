"""Request bodies read after the object in the path was found.

A route such as `POST /okrs/key-results/{id}/grade` answers 404 for an object the token cannot
reach before it judges the body, whatever the body holds: ids cannot be probed by watching for
422 instead of 404, and the isolation sweep can call every route without a body. Ninja would
validate a declared body first, so these routes read it themselves with `parse_body` and declare
it in the OpenAPI document with `documented_body`."""

from __future__ import annotations

from typing import Any, TypeVar

from django.http import HttpRequest, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from .schemas import NO_NUL

S = TypeVar("S", bound=BaseModel)


def parse_body(request: HttpRequest, schema: type[S], *, required: bool = True) -> S:
    """The JSON body validated by `schema`. Invalid: 422 naming the field, exactly as for a body
    Ninja validates. An empty body is a 422 when `required`, else `{}`."""
    if required and not request.body:
        raise NinjaValidationError(
            [{"loc": ("body",), "msg": "Send a JSON object as the body.", "type": "missing"}]
        )
    try:
        return schema.model_validate_json(request.body or b"{}")
    except PydanticValidationError as exc:
        raise NinjaValidationError(
            [{**e, "loc": ("body", *e.get("loc", ()))} for e in exc.errors(include_url=False)]
        ) from exc


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def _no_nul(node: Any) -> Any:
    if isinstance(node, dict):
        if node.get("type") == "string" and not ({"format", "enum", "pattern"} & node.keys()):
            node["pattern"] = NO_NUL
        for value in node.values():
            _no_nul(value)
    elif isinstance(node, list):
        for value in node:
            _no_nul(value)
    return node


def documented_body(schema: type[BaseModel], *, required: bool = True) -> dict[str, Any]:
    """`openapi_extra` for an operation that reads `schema` with `parse_body`."""
    json_schema = schema.model_json_schema()
    defs = json_schema.pop("$defs", {})
    return {
        "requestBody": {
            "content": {"application/json": {"schema": _no_nul(_inline(json_schema, defs))}},
            "required": required,
        }
    }


IF_MATCH: dict[str, Any] = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "description": "The `ETag` of your last read. When the object changed since, the write "
    "is refused with 412 and nothing is written.",
    "schema": {"type": "string"},
}


def multipart(
    request: HttpRequest, allowed: set[str]
) -> tuple[QueryDict, MultiValueDict[str, Any]]:
    """The fields and files of a multipart body (a file upload): a body that is not one is 400,
    a field not in `allowed` is 422 naming it, as for a JSON body."""
    try:
        fields, files = request.POST, request.FILES
    except MultiPartParserError as exc:
        raise HttpError(400, "Send the body as multipart/form-data.") from exc
    unknown = sorted((set(fields) | set(files)) - allowed)
    if unknown:
        raise NinjaValidationError(
            [{"loc": ("body", unknown[0]), "msg": "Unknown field.", "type": "extra_forbidden"}]
        )
    return fields, files
