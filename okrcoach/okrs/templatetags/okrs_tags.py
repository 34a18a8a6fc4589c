"""Presentation helpers for OKR templates. None of them queries the database."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from okrcoach.okrs import progress
from okrcoach.okrs.forms import CheckInForm, GradeForm
from okrcoach.okrs.models import KeyResult
from okrcoach.okrs.selectors.pages import KRRow

register = template.Library()


@register.filter
def percent(value: Decimal | float | None) -> int:
    if value is None:
        return 0
    return int((Decimal(value) * 100).to_integral_value())


@register.filter
def band(value: Decimal | None) -> str:
    return progress.score_band(value) or "none"


@register.filter
def confidence_band(value: float | None) -> str:
    if value is None:
        return "none"
    return progress.confidence_band(round(value)) or "none"


@register.filter
def number(value: Decimal | None) -> str:
    """A stored value without trailing zeros: 25.0000 → 25."""
    if value is None:
        return "—"
    return f"{Decimal(value).normalize():f}"


@register.inclusion_tag("okrs/partials/key_result_row.html", takes_context=True)
def kr_row(context: template.Context, row: KRRow) -> dict[str, Any]:
    """A My OKRs row with a fresh quick check-in form (building a form runs no query)."""
    return {
        "row": row,
        "form": CheckInForm(key_result=row.kr),
        "org": context.get("org"),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.inclusion_tag("okrs/partials/grade_row.html", takes_context=True)
def grade_row(context: template.Context, kr: KeyResult) -> dict[str, Any]:
    return {
        "kr": kr,
        "form": GradeForm(
            key_result=kr, initial={"score": kr.score, "score_reason": kr.score_reason}
        ),
        "org": context.get("org"),
        "csrf_token": context.get("csrf_token"),
    }
