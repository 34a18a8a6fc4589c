"""The OpenAPI document tells every answer an operation can give. Routers declare the errors
their own code raises; the two every operation shares are added here: 401 to each operation
behind the token, 422 to each that takes a parameter or a body (Ninja refuses an invalid one
before the handler runs), 400 to each that takes a body (not JSON at all), 404 to each with an
id in its path."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from okrcoach.core.api.schemas import ErrorOut

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
DESCRIPTIONS = {
    400: "The body is not valid JSON.",
    401: "No token, or a token that is unknown, revoked, expired or of a deactivated member.",
    403: "Your role in this organisation does not allow this.",
    404: "No such object in your organisation (another organisation's is the same 404).",
    409: "The request conflicts with what is stored.",
    412: "`If-Match` names an older version: nothing was written.",
    422: "Invalid input: `field` names the first field at fault, `errors` all of them.",
}


def _error(status: int) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS[status],
        "content": {"application/json": {"schema": ERROR_REF}},
    }


def _numbers_only(node: Any) -> Any:
    """Decimal inputs also accept numeric strings, which JSON Schema cannot say exactly (a bare
    `string` would promise that any text is accepted). Document them as numbers."""
    if isinstance(node, dict):
        options = node.get("anyOf")
        if isinstance(options, list) and any(o.get("type") == "number" for o in options):
            node["anyOf"] = [o for o in options if o.get("type") != "string"]
            if len(node["anyOf"]) == 1:
                node.update(node.pop("anyOf")[0])
        for value in node.values():
            _numbers_only(value)
    elif isinstance(node, list):
        for value in node:
            _numbers_only(value)
    return node


class DocumentedNinjaAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """Built once per process and path prefix: the routes do not change while it runs, and
        building the document walks every schema of every operation (about 100 ms)."""
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        cache: dict[str, OpenAPISchema] = self.__dict__.setdefault("_openapi_cache", {})
        if path_prefix not in cache:
            cache[path_prefix] = self._build_openapi_schema(path_prefix)
        return cache[path_prefix]

    def _build_openapi_schema(self, path_prefix: str) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix)
        schema["components"]["schemas"].setdefault(
            "ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation["responses"]
                for status, body in responses.items():
                    if int(status) in DESCRIPTIONS and body.get("content"):
                        body["description"] = DESCRIPTIONS[int(status)]
                if operation.get("security"):
                    responses.setdefault(401, _error(401))
                if operation.get("parameters") or operation.get("requestBody"):
                    responses.setdefault(422, _error(422))
                if operation.get("requestBody"):
                    responses.setdefault(400, _error(400))
                if any(p.get("in") == "path" for p in operation.get("parameters", [])):
                    responses.setdefault(404, _error(404))
                _numbers_only(operation.get("requestBody"))
                _numbers_only(operation.get("parameters"))
        return schema
