"""Pure helpers for academy templates: look-ups in dicts the view already built. No queries."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    if hasattr(mapping, "get"):
        return mapping.get(str(key))
    return None


@register.simple_tag
def checked(values: Any, name: str, value: Any) -> str:
    """'checked' when a re-rendered form had this value ticked."""
    if not hasattr(values, "getlist"):
        return ""
    return "checked" if str(value) in values.getlist(name) else ""


@register.simple_tag
def selected(values: Any, name: str, value: Any) -> str:
    if not hasattr(values, "get"):
        return ""
    return "selected" if values.get(name) == str(value) else ""


@register.filter
def percent(value: Any) -> str:
    if value is None:
        return "–"
    return f"{round(float(value))}%"
