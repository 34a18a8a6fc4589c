"""One set of limits for what people type, shared by the API schemas, the forms, the importers
and the services (which check again before saving, so no path can store what a column cannot
hold or what breaks a page, an export or PostgreSQL).

- Numbers of a key result (baseline, target, stretch, check-in value) are stored with 16 digits,
  4 after the point; we accept at most `MAX_VALUE` in magnitude, so every derived figure
  (progress, roll-up, export) stays finite and printable.
- Text never holds NUL or other control characters; multi-line text may hold tab, line feed and
  carriage return. Every text has a length limit: its column's, or `NOTE_MAX_LENGTH` for notes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

VALUE_MAX_DIGITS = 16
VALUE_DECIMAL_PLACES = 4
MAX_VALUE = Decimal("99999999999")
NOTE_MAX_LENGTH = 5000

# C0 controls and DEL; tab, line feed and carriage return are allowed in multi-line text only.
_CONTROL_ONE_LINE = re.compile("[\x00-\x1f\x7f]")
_CONTROL_MULTI_LINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The same rule as a JSON-schema pattern, for the OpenAPI document of every request string.
TEXT_PATTERN = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"


def value_error(value: Decimal | None) -> str | None:
    """Why this number cannot be stored, or None."""
    if value is None:
        return None
    try:
        finite = value.is_finite()
        too_big = finite and abs(value) > MAX_VALUE
    except (InvalidOperation, TypeError):
        finite, too_big = False, False
    if not finite:
        return _("Enter a number.")
    if too_big:
        return _("Enter a number between -%(max)s and %(max)s.") % {"max": MAX_VALUE}
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -VALUE_DECIMAL_PLACES:
        return _("Use at most %(n)d digits after the decimal point.") % {"n": VALUE_DECIMAL_PLACES}
    return None


def text_error(value: str, *, max_length: int, multiline: bool = False) -> str | None:
    """Why this text cannot be stored, or None."""
    if "\x00" in value:
        return _("Text cannot contain NUL characters.")
    pattern = _CONTROL_MULTI_LINE if multiline else _CONTROL_ONE_LINE
    if pattern.search(value):
        return _("Text cannot contain control characters.")
    if len(value) > max_length:
        return _("At most %(n)d characters.") % {"n": max_length}
    return None


def strip_control_characters(value: str) -> str:
    """The text without control characters (tab, line feed and carriage return kept): for
    importers that clean a cell instead of refusing it."""
    return _CONTROL_MULTI_LINE.sub("", value)


def check(
    *,
    values: Mapping[str, Decimal | None] | None = None,
    texts: Mapping[str, tuple[str, int]] | None = None,
    notes: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Every field at fault with its message: `values` are key-result numbers, `texts` one-line
    text with its maximum length, `notes` multi-line text of at most NOTE_MAX_LENGTH."""
    errors: dict[str, str] = {}
    for name, number in (values or {}).items():
        if message := value_error(number):
            errors[name] = message
    for name, (text, limit) in (texts or {}).items():
        if message := text_error(text, max_length=limit):
            errors[name] = message
    for name, note in (notes or {}).items():
        if message := text_error(note, max_length=NOTE_MAX_LENGTH, multiline=True):
            errors[name] = message
    return errors


def require(errors: Mapping[str, str]) -> None:
    if errors:
        raise ValidationError(dict(errors))


# The largest integer a form may name (a choice index, a row id): every database's INTEGER.
MAX_INT = 2**31 - 1


def parse_int(text: str, *, low: int = 0, high: int = MAX_INT) -> int:
    """An integer typed in a form, within [low, high]; ValueError otherwise (also for a
    thousand-digit number, before Python converts it)."""
    text = text.strip()
    if not text or len(text) > 12:
        raise ValueError(text[:20])
    value = int(text)
    if not low <= value <= high:
        raise ValueError(text)
    return value
