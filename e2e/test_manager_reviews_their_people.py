"""Journey: the demo manager signs in, opens People, sees their reports, signs out."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import PageChecks
from okrcoach.demo.people import DEMO_PASSWORD, seed_people


@pytest.mark.django_db(transaction=True)
def test_manager_signs_in_sees_their_reports_and_signs_out(
    live_server: Any, page: Any, checks: PageChecks
) -> None:
    seed_people()
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    checks.accessible("login")
    checks.screenshot("login")

    page.get_by_label("Email").fill("maya.okafor@kestrel.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Good to see you, Maya")).to_be_visible()
    expect(page.get_by_role("heading", name="Your reports", exact=True)).to_be_visible()
    checks.accessible("home")
    checks.screenshot("home")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="People", exact=True)).to_be_visible()
    page.get_by_role("link", name="My reports").click()
    table = page.locator("#people-table")
    for name in ["Jordan Ellis", "Ana Souza", "Theo Fischer", "Leila Karimi", "Sean Murphy"]:
        expect(table.get_by_role("link", name=name)).to_be_visible()
    expect(table.get_by_text("5 people")).to_be_visible()
    checks.accessible("people: my reports")
    checks.screenshot("people")

    # Search narrows the table in place (htmx), keeping the tab.
    page.get_by_label("Search").fill("Leila")
    expect(table.get_by_role("link", name="Jordan Ellis")).to_have_count(0)
    expect(table.get_by_role("link", name="Leila Karimi")).to_be_visible()

    page.locator("summary", has_text="Maya Okafor").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    checks.accessible("after sign-out")
