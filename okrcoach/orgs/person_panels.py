"""Panels that later apps add to a person's page (their OKRs, for one).

Like Home's panels (orgs/home.py): orgs comes before okrs in the import order, so an app
registers a template and a function building its context from the viewer and the person shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from .models import Membership


@dataclass(frozen=True)
class PersonPanel:
    template: str
    context: Callable[[Membership, Membership], dict[str, Any]]


_panels: dict[str, PersonPanel] = {}


def register_person_panel(
    *, template: str, context: Callable[[Membership, Membership], dict[str, Any]]
) -> None:
    """Show `template` on person pages with the variables `context(viewer, person)` returns."""
    _panels[template] = PersonPanel(template, context)


def person_panels(
    viewer: Membership, person: Membership, page_context: dict[str, Any]
) -> list[str]:
    """Add every panel's variables to the page's context; return the templates to include."""
    for panel in _panels.values():
        extra = panel.context(viewer, person)
        clash = sorted(extra.keys() & page_context.keys())
        if clash:
            raise ImproperlyConfigured(f"Person panel {panel.template} reuses the names {clash}.")
        page_context.update(extra)
    return list(_panels)
