"""Schemas every router shares: the one JSON error body, and the base of request bodies."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict, field_validator


class ErrorOut(Schema):
    """Every error the API answers: `detail` always; for invalid input (422) also `field`, the
    first field at fault, and `errors`, every field with its messages."""

    detail: str
    field: str | None = None
    errors: dict[str, list[str]] | None = None


class InSchema(BaseModel):
    """Request bodies refuse fields they do not know (422 naming the field), so a typo is an
    error instead of a silently ignored change; the schema says so (`additionalProperties:
    false`). Strict (bodies are read with `okrcoach.core.api.body.parse_body`, in JSON mode): a
    number where a date belongs, or "5" where an integer belongs, is refused as the schema says,
    not converted. Decimals also take numeric strings."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_characters(cls, value: Any) -> Any:
        # The pages refuse them too (Django's form fields), and PostgreSQL cannot store them.
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("Text cannot contain NUL characters.")
        return value


# Text without NUL characters, as the OpenAPI document says of every string in a request body.
NO_NUL = "^[^\\u0000]*$"


# A key result's numbers are stored with 16 digits, 4 after the point: anything larger is refused
# by the schema (422) instead of failing in the database.
MAX_VALUE = Decimal("99999999999")
Value = Annotated[Decimal, Field(ge=-MAX_VALUE, le=MAX_VALUE)]


# Error responses to declare on an operation, beside its success response. 401 (no or bad
# token) and 422 (invalid parameters) are added to every operation that can give them by
# okrcoach.api.openapi, so routers list only what their own code raises.
NOT_FOUND: dict[int, Any] = {404: ErrorOut}
FORBIDDEN: dict[int, Any] = {403: ErrorOut}
INVALID: dict[int, Any] = {422: ErrorOut}
WRITE: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
VERSIONED_WRITE: dict[int, Any] = {**WRITE, 412: ErrorOut}
