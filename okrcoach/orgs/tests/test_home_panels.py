"""Home is orgs' page, but later apps add panels to it through a registry (orgs imports none of
them)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from conftest import World
from okrcoach.orgs import home


@pytest.fixture
def panels(monkeypatch: pytest.MonkeyPatch) -> dict[str, home.HomePanel]:
    registry = dict(home._panels)
    monkeypatch.setattr(home, "_panels", registry)
    return registry


def test_the_okrs_app_registers_what_you_owe_this_week() -> None:
    assert "okrs/partials/owed.html" in home._panels


@pytest.mark.django_db
def test_a_registered_panel_is_included_with_its_own_context(world: World, panels) -> None:
    panels.clear()
    home.register_home_panel(
        template="orgs/partials/person_item.html",
        context=lambda m: {"p": world.outsider},  # a name Home shows nowhere else
    )
    client = Client()
    client.force_login(world.member.user)
    body = client.get("/o/acme/").content.decode()
    assert "What you owe this week" not in body
    assert "Oscar Outsider" in body


def test_a_panel_may_not_overwrite_the_page_context(world: World, panels) -> None:
    panels.clear()
    home.register_home_panel(template="x.html", context=lambda m: {"reports": []})
    with pytest.raises(ImproperlyConfigured, match="reports"):
        home.home_panels(world.member, {"reports": ["mine"]})
