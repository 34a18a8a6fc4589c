"""Schemas every router shares: the one JSON error body, and the base of request bodies."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict, WithJsonSchema, field_validator

from okrcoach.core import bounds


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
    def _no_control_characters(cls, value: Any) -> Any:
        # The pages and the services refuse them too (okrcoach.core.bounds), and PostgreSQL
        # cannot store NUL. Tab, line feed and carriage return are allowed (multi-line notes).
        if isinstance(value, str) and (
            message := bounds.text_error(value, max_length=len(value), multiline=True)
        ):
            raise ValueError(message)
        return value


# Text without NUL or other control characters, as the OpenAPI document says of every string in
# a request body (okrcoach.core.bounds.TEXT_PATTERN).
NO_NUL = bounds.TEXT_PATTERN


# A key result's numbers are stored with 16 digits, 4 after the point: anything larger is refused
# by the schema (422) instead of failing in the database. The same bound as the forms and the
# services (okrcoach.core.bounds).
MAX_VALUE = bounds.MAX_VALUE
Value = Annotated[Decimal, Field(ge=-MAX_VALUE, le=MAX_VALUE)]
# Notes (check-ins, descriptions): multi-line text of at most this many characters.
Note = Annotated[str, Field(max_length=bounds.NOTE_MAX_LENGTH)]


# A local wall-clock time in a response ("09:30:00"). pydantic documents `time` as JSON Schema's
# "time" format, which is RFC 3339's full-time and requires an offset ("09:30:00Z"): a client
# validating our answers against the document would reject every one of them.
WallClockTime = Annotated[
    time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?$",
            "description": "Local wall-clock time, HH:MM:SS, without an offset.",
            "examples": ["09:30:00"],
        }
    ),
]


# Error responses to declare on an operation, beside its success response. 401 (no or bad
# token) and 422 (invalid parameters) are added to every operation that can give them by
# okrcoach.api.openapi, so routers list only what their own code raises.
NOT_FOUND: dict[int, Any] = {404: ErrorOut}
FORBIDDEN: dict[int, Any] = {403: ErrorOut}
INVALID: dict[int, Any] = {422: ErrorOut}
WRITE: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
VERSIONED_WRITE: dict[int, Any] = {**WRITE, 412: ErrorOut}
