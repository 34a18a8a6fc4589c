"""Journey: Maya prepares her next 1:1 with Jordan from the suggested agenda, writes a private
note and an action item, schedules the following 1:1 and sees the item carried over there.
Jordan opens the same meeting and sees the agenda and the item, but not Maya's private note."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import PageChecks
from okrcoach.demo.growth import seed_growth
from okrcoach.demo.okrs import seed_okrs
from okrcoach.demo.people import DEMO_PASSWORD, seed_people

SHOTS = "/work/shots/growth"
ITEM = "Send Jordan the health-review template"


def sign_in(page: Any, url: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_manager_prepares_a_one_on_one_and_the_action_item_carries_over(
    live_server: Any, page: Any, checks: PageChecks
) -> None:
    seed_people()
    seed_okrs()
    seed_growth()
    sign_in(page, live_server.url, "maya.okafor@kestrel.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Growth").click()
    expect(page.get_by_role("heading", name="Growth", exact=True)).to_be_visible()
    checks.accessible("growth home")
    page.get_by_role("link", name="Jordan Ellis", exact=True).click()
    expect(page.get_by_role("heading", name="1:1: Maya Okafor / Jordan Ellis")).to_be_visible()
    checks.accessible("series")
    page.get_by_role("region", name="Meetings").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="1:1 with Jordan Ellis")).to_be_visible()

    suggestions = page.get_by_role("region", name="Suggested talking points")
    expect(suggestions.get_by_text("moved from").first).to_be_visible()
    first = suggestions.locator("li", has_text="moved from").first
    suggestion_text = first.locator("span").first.inner_text()
    first.get_by_role("button", name=re.compile("^Add to agenda")).click()
    agenda = page.get_by_role("region", name="Agenda")
    expect(agenda.get_by_text(suggestion_text)).to_be_visible()

    private = page.get_by_role("region", name="My private note")
    private.get_by_label("My private note").fill(
        "Jordan seems stretched: ask about the on-call rota."
    )
    private.get_by_role("button", name="Save private note").click()
    expect(page.get_by_text("Private note saved. Only you can read it.")).to_be_visible()

    actions = page.get_by_role("region", name="Action items")
    actions.get_by_label("Action item").fill(ITEM)
    actions.get_by_label("Owner").select_option(label="Maya Okafor")
    actions.get_by_role("button", name="Add action item").click()
    expect(actions.get_by_text(ITEM, exact=True)).to_be_visible()
    checks.accessible("meeting prepared")
    page.screenshot(path=f"{SHOTS}/one-on-one.png", full_page=True)
    meeting_url = page.url

    page.get_by_role("button", name="Schedule the next 1:1").first.click()
    expect(page.get_by_role("heading", name="1:1 with Jordan Ellis")).to_be_visible()
    carried = page.get_by_role("region", name="Action items").locator("li", has_text=ITEM)
    expect(carried.get_by_text(re.compile("carried over from"))).to_be_visible()
    checks.accessible("next meeting")
    page.screenshot(path=f"{SHOTS}/one-on-one-next.png", full_page=True)

    sign_in(page, live_server.url, "jordan.ellis@kestrel.example")
    page.goto(meeting_url)
    expect(page.get_by_role("heading", name="1:1 with Maya Okafor")).to_be_visible()
    expect(page.get_by_text(suggestion_text).first).to_be_visible()
    expect(page.get_by_text(ITEM, exact=True)).to_be_visible()
    expect(page.get_by_text("Jordan seems stretched")).to_have_count(0)
    checks.accessible("report's view")
