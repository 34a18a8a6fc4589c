"""URLs of the coach endpoints for whichever editor is on the page (new or saved, objective or
key result), so the panel and its feedback fragment name them in one place."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from coach.catalogue import CATALOGUE

register = template.Library()


@register.simple_tag(takes_context=True)
def coach_url(context: template.Context, kind: str, action: str) -> str:
    """`action` is "review" or "dismiss"; `kind` is "objective" or "key_result"."""
    slug = context["org"].slug
    if kind == "key_result":
        kr = context.get("key_result")
        if kr is not None:
            return reverse(f"okrs:coach_key_result_{action}", args=[slug, kr.public_id])
        objective = context["objective"]
        return reverse(f"okrs:coach_new_key_result_{action}", args=[slug, objective.public_id])
    objective = context.get("objective")
    if objective is not None:
        return reverse(f"okrs:coach_objective_{action}", args=[slug, objective.public_id])
    url = reverse(f"okrs:coach_new_objective_{action}", args=[slug])
    return f"{url}?cycle={context['cycle'].public_id}"


@register.simple_tag
def coach_ids(kind: str) -> dict[str, str]:
    """The editor's root (swapped on Apply) and its <form> (posted to the coach)."""
    if kind == "key_result":
        return {"editor": "key-result-form", "form": "key-result-editor"}
    return {"editor": "objective-form", "form": "objective-editor"}


@register.simple_tag
def coach_set(objective: Any, rows: Any, owner_count: Any = None) -> Any:
    """The set review of an objective page: `rows` are the page's key-result rows (each with
    `.row.kr`, already loaded), `owner_count` the page's objective count for SET-02; no query."""
    from okrcoach.okrs.coach_set import set_view

    return set_view(objective, [d.row.kr for d in rows], owner_count)


@register.filter
def rule_summary(rule_id: str) -> str:
    """What a rule checks, from the coach's catalogue (the one source of rule titles)."""
    rule = CATALOGUE.get(str(rule_id))
    return rule.summary if rule is not None else ""


@register.filter
def rule_severity(rule_id: str) -> str:
    """blocking | warning | info, from the catalogue."""
    rule = CATALOGUE.get(str(rule_id))
    return rule.severity.value if rule is not None else ""
