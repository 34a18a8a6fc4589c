"""Journey: Maya prepares her next 1:1 with Jordan from the suggested agenda, writes a private
note and an action item, schedules the following 1:1 and sees the item carried over there.
Jordan opens the same meeting and sees the agenda and the item, but not Maya's private note.

With JavaScript, every change on the meeting page is an htmx swap of its region (the page is
never reloaded: a marker set on `window` survives); the second journey runs the same forms with
JavaScript off, where they post and redirect."""

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


def shoot(page: Any, checks: PageChecks, name: str) -> None:
    """Screenshots at 1280 px and at 390 px (which must not scroll sideways), then back."""
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    checks.fits(f"{name} at 390 px")
    page.screenshot(path=f"{SHOTS}/{name}-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 860})


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

    page.evaluate("window.__notReloaded = true")
    suggestions = page.get_by_role("region", name="Suggested talking points")
    expect(suggestions.get_by_text("moved from").first).to_be_visible()
    first = suggestions.locator("li", has_text="moved from").first
    suggestion_text = first.locator("span").first.inner_text()
    first.get_by_role("button", name=re.compile("^Add to agenda")).click()
    agenda = page.get_by_role("region", name="Agenda")
    expect(agenda.get_by_text(suggestion_text)).to_be_visible()
    checks.after_swaps("talking point from a suggestion")
    # The suggestion left the list (swapped out of band with the agenda).
    expect(suggestions.get_by_text(suggestion_text, exact=True)).to_have_count(0)
    agenda.get_by_label("Talking point").fill("How is the on-call rota working for you?")
    agenda.get_by_role("button", name="Add talking point").click()
    expect(agenda.get_by_text("How is the on-call rota working for you?")).to_be_visible()
    checks.after_swaps("typed talking point")

    private = page.get_by_role("region", name="My private note")
    private.get_by_label("My private note").fill(
        "Jordan seems stretched: ask about the on-call rota."
    )
    private.get_by_role("button", name="Save private note").click()
    expect(private.get_by_text("Private note saved. Only you can read it.")).to_be_visible()
    checks.after_swaps("private note")
    shared = page.get_by_role("region", name="Shared notes")
    shared.get_by_label("Shared notes").fill("Agreed: Jordan pairs with Theo on the next renewal.")
    shared.get_by_role("button", name="Save shared notes").click()
    expect(shared.get_by_text("Shared notes saved.")).to_be_visible()
    checks.after_swaps("shared notes")

    actions = page.get_by_role("region", name="Action items")
    actions.get_by_label("Action item").fill(ITEM)
    actions.get_by_label("Owner").select_option(label="Maya Okafor")
    actions.get_by_role("button", name="Add action item").click()
    expect(actions.get_by_text(ITEM, exact=True)).to_be_visible()
    checks.after_swaps("action item")
    checks.accessible("meeting prepared")
    shoot(page, checks, "one-on-one")
    # An empty item comes back in place with its error beside the field.
    actions.get_by_role("button", name="Add action item").click()
    expect(actions.get_by_label("Action item")).to_have_attribute("aria-invalid", "true")
    checks.after_swaps("refused action item")
    checks.accessible("refused action item")
    assert page.evaluate("window.__notReloaded") is True  # every change was a swap
    meeting_url = page.url

    page.get_by_role("button", name="Schedule the next 1:1").first.click()
    expect(page.get_by_role("heading", name="1:1 with Jordan Ellis")).to_be_visible()
    carried = page.get_by_role("region", name="Action items").locator("li", has_text=ITEM)
    expect(carried.get_by_text(re.compile("carried over from"))).to_be_visible()
    checks.accessible("next meeting")
    page.screenshot(path=f"{SHOTS}/one-on-one-next.png", full_page=True)
    page.evaluate("window.__notReloaded = true")
    carried.get_by_role("button", name=re.compile("^Mark done")).click()
    done = page.get_by_role("region", name="Action items").locator("li", has_text=ITEM)
    expect(done.get_by_text("done", exact=True)).to_be_visible()
    checks.after_swaps("action item done")
    assert page.evaluate("window.__notReloaded") is True

    sign_in(page, live_server.url, "jordan.ellis@kestrel.example")
    page.goto(meeting_url)
    expect(page.get_by_role("heading", name="1:1 with Maya Okafor")).to_be_visible()
    expect(page.get_by_text(suggestion_text).first).to_be_visible()
    expect(page.get_by_text(ITEM, exact=True)).to_be_visible()
    expect(page.get_by_text("Jordan seems stretched")).to_have_count(0)
    checks.accessible("report's view")


@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_meeting_forms_post_and_redirect(
    live_server: Any, browser: Any
) -> None:
    seed_people()
    seed_okrs()
    seed_growth()
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server.url, "maya.okafor@kestrel.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Growth").click()
    page.get_by_role("link", name="Jordan Ellis", exact=True).click()
    page.get_by_role("region", name="Meetings").get_by_role("link").first.click()
    agenda = page.get_by_role("region", name="Agenda")
    agenda.get_by_label("Talking point").fill("Plain-form talking point")
    agenda.get_by_role("button", name="Add talking point").click()
    expect(page).to_have_url(re.compile("#agenda-h$"))
    expect(
        page.get_by_role("region", name="Agenda").get_by_text("Plain-form talking point")
    ).to_be_visible()
    actions = page.get_by_role("region", name="Action items")
    actions.get_by_label("Action item").fill("Plain-form action item")
    actions.get_by_role("button", name="Add action item").click()
    item = page.get_by_role("region", name="Action items").locator(
        "li", has_text="Plain-form action item"
    )
    item.get_by_role("button", name=re.compile("^Mark done")).click()
    expect(
        page.get_by_role("region", name="Action items")
        .locator("li", has_text="Plain-form action item")
        .get_by_text("done", exact=True)
    ).to_be_visible()
    page.get_by_role("region", name="My private note").get_by_label("My private note").fill("x")
    page.get_by_role("button", name="Save private note").click()
    expect(page.get_by_text("Private note saved. Only you can read it.")).to_be_visible()
    context.close()
