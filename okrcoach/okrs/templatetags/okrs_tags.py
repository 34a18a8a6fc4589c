"""Presentation helpers for OKR templates. None of them queries the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any
from uuid import UUID

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from okrcoach.okrs import progress
from okrcoach.okrs.forms import CheckInForm, GradeForm
from okrcoach.okrs.models import Cycle, KeyResult
from okrcoach.okrs.selectors.pages import KRDetail, KRRow, ObjectiveCard, ObjectivePage
from okrcoach.okrs.selectors.tree import CompanyPage

register = template.Library()

# The cycle menu lists the cycles still open (planning, active, grading), the last few closed
# ones and the one shown; the rest are behind "Older cycles" (the cycles page lists them all).
RECENT_CLOSED_IN_MENU = 4


@dataclass(frozen=True)
class CycleMenu:
    shown: list[Cycle]
    older: int


@register.simple_tag
def cycle_menu(cycles: Sequence[Cycle], selected: Cycle | None) -> CycleMenu:
    """`cycles` newest first (as every page passes them)."""
    shown: list[Cycle] = []
    closed = 0
    for c in cycles:
        recent = c.state != Cycle.State.CLOSED or closed < RECENT_CLOSED_IN_MENU
        if c.state == Cycle.State.CLOSED:
            closed += 1
        if recent or (selected is not None and c.pk == selected.pk):
            shown.append(c)
    return CycleMenu(shown, len(cycles) - len(shown))


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


# Stands for a key result's public id in a check-in form rendered once and reused.
_PLACEHOLDER = "00000000-0000-4000-8000-0000c0ffee00"


class _RenderedField:
    """What key_result_row.html reads of a bound field, already rendered."""

    errors: tuple[str, ...] = ()

    def __init__(self, label_tag: str, widget: str) -> None:
        self.label_tag = label_tag
        self.widget = widget

    def __html__(self) -> str:
        return self.widget

    def __str__(self) -> str:
        return self.widget


class FreshCheckInForm:
    """An unbound quick check-in form whose HTML comes from a form of the same shape rendered
    once per process (per kind of key result, unit, level labels and language), with the key
    result's id put in. Rendering a Django form through the widget templates for every row was
    most of the cost of the team and My OKRs pages; the output is the same."""

    errors: dict[str, Any] = {}
    non_field_errors = ""

    def __init__(self, primary: list[_RenderedField], notes: list[_RenderedField]) -> None:
        self.primary_fields = primary
        self.note_fields = notes


@lru_cache(maxsize=512)
def _check_in_template(
    kr_type: str, unit_label: str, levels: tuple[str, str, str], language: str | None
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    stand_in = KeyResult(
        public_id=UUID(_PLACEHOLDER),
        kr_type=kr_type,
        unit_label=unit_label,
        commit_label=levels[0],
        target_label=levels[1],
        stretch_label=levels[2],
    )
    form = CheckInForm(key_result=stand_in)
    return (
        tuple((str(f.label_tag()), str(f)) for f in form.primary_fields),
        tuple((str(f.label_tag()), str(f)) for f in form.note_fields),
    )


def fresh_check_in_form(kr: KeyResult) -> FreshCheckInForm:
    levels = (kr.commit_label, kr.target_label, kr.stretch_label)
    primary, notes = _check_in_template(kr.kr_type, kr.unit_label, levels, get_language())
    public_id = str(kr.public_id)

    def fields(parts: tuple[tuple[str, str], ...]) -> list[_RenderedField]:
        return [
            _RenderedField(
                mark_safe(label.replace(_PLACEHOLDER, public_id)),  # noqa: S308 - rendered by Django
                mark_safe(widget.replace(_PLACEHOLDER, public_id)),  # noqa: S308
            )
            for label, widget in parts
        ]

    return FreshCheckInForm(fields(primary), fields(notes))


@register.inclusion_tag("okrs/partials/key_result_row.html", takes_context=True)
def kr_row(context: template.Context, row: KRRow) -> dict[str, Any]:
    """A My OKRs row with a fresh quick check-in form (building a form runs no query)."""
    return {
        "row": row,
        "form": fresh_check_in_form(row.kr),
        "org": context.get("org"),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.simple_tag(takes_context=True)
def objective_cards(context: template.Context, cards: Sequence[ObjectiveCard]) -> list[str]:
    """The cards' markup, each from the cache unless what it shows changed (okrs/fragments.py)."""
    from okrcoach.okrs.fragments import render_cards

    return list(render_cards(cards, context))


@register.simple_tag(takes_context=True)
def kr_detail_key(context: template.Context, detail: KRDetail, page: ObjectivePage) -> str:
    from okrcoach.okrs.fragments import kr_detail_key as key

    return key(detail, page, context["org"].pk, context["membership"].pk)


@register.simple_tag(takes_context=True)
def objective_page_key(context: template.Context, page: ObjectivePage) -> str:
    from okrcoach.okrs.fragments import objective_page_key as key

    return key(page, context["org"], context["membership"].pk)


@register.simple_tag(takes_context=True)
def tree_key(context: template.Context, page: CompanyPage) -> str:
    from okrcoach.okrs.fragments import tree_key as key

    return key(page, context["org"])


class _CachedFragmentNode(template.Node):
    def __init__(self, key: template.base.FilterExpression, nodelist: template.NodeList) -> None:
        self.key = key
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        from okrcoach.okrs.fragments import render_cached

        return render_cached(str(self.key.resolve(context)), self.nodelist, context)


@register.tag
def cached_fragment(parser: template.base.Parser, token: template.base.Token) -> template.Node:
    """`{% cached_fragment key %}...{% endcached_fragment %}`: the block from the cache under
    `key`, which must name everything the block shows (okrs/fragments.py); the CSRF token and
    the request's path are put in per request."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("cached_fragment takes one argument: the key")
    nodelist = parser.parse(("endcached_fragment",))
    parser.delete_first_token()
    return _CachedFragmentNode(parser.compile_filter(bits[1]), nodelist)


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
