"""Panels that later apps add to the home page.

Home belongs to orgs, which comes before okrs and the academy in the import order, so it cannot
import what they show. Instead an app registers a panel in its `AppConfig.ready()`: a template to
include and a function that builds that template's context for the signed-in member. Panels
appear in registration order, which is the order of INSTALLED_APPS."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from .models import Membership


@dataclass(frozen=True)
class HomePanel:
    template: str
    context: Callable[[Membership], dict[str, Any]]


_panels: dict[str, HomePanel] = {}


def register_home_panel(*, template: str, context: Callable[[Membership], dict[str, Any]]) -> None:
    """Show `template` on Home with the variables `context(member)` returns."""
    _panels[template] = HomePanel(template, context)


def home_panels(member: Membership, page_context: dict[str, Any]) -> list[str]:
    """Add every panel's variables to the page's context; return the templates to include."""
    for panel in _panels.values():
        extra = panel.context(member)
        clash = sorted(extra.keys() & page_context.keys())
        if clash:
            raise ImproperlyConfigured(f"Home panel {panel.template} reuses the names {clash}.")
        page_context.update(extra)
    return list(_panels)
