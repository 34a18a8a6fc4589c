"""Journeys of a newcomer's first hour and a manager's first week.

- An empty installation: the setup form makes the first organisation and its admin, who opens a
  cycle and invites a colleague; the colleague accepts the emailed invitation and, following
  Home's next step, writes a first OKR.
- At 1280 px and at 390 px (a phone), the manager and the executive reach their team's OKRs in
  two clicks from Home; at phone width the menu button opens the navigation.
- Inline check-ins and the tree's Show/Hide toggle swap parts of the page: the console must
  stay clean after the swaps (a CSP violation counts), not only at page load."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, PageChecks
from okrcoach.demo.okrs import seed_okrs
from okrcoach.demo.people import DEMO_PASSWORD, seed_people

PASSWORD = "rye-and-spelt-2026"


def _field(page: Any, label: str) -> Any:
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("^Good to see you"))).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_empty_installation_to_a_colleagues_first_okr(
    live_server: Any, page: Any, checks: PageChecks, browser: Any
) -> None:
    base = live_server.url
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name="Set up okrcoach")).to_be_visible()
    checks.accessible("setup form")
    _field(page, "Organisation name").fill("Harbour Bakery")
    _field(page, "Your full name").fill("Ines Costa")
    _field(page, "Your email").fill("ines@harbour.test")
    _field(page, "Choose a password").fill(PASSWORD)
    _field(page, "Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create the organisation").click()
    expect(page.get_by_role("heading", name="Good to see you, Ines")).to_be_visible()
    checks.accessible("the first admin's home")

    # The admin opens the first cycle from Home's tools.
    page.get_by_role("link", name="Open and run cycles").click()
    today = timezone.localdate()
    _field(page, "Name").fill("This quarter")
    _field(page, "Starts on").fill(today.isoformat())
    _field(page, "Ends on").fill((today + timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Create cycle").click()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_text("Active").first).to_be_visible()

    # ... and invites a colleague.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin").click()
    _field(page, "Email").fill("tomas@harbour.test")
    _field(page, "Full name").fill("Tomás Reyes")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to tomas@harbour.test.")).to_be_visible()
    invitation = next(m for m in mail.outbox if m.to == ["tomas@harbour.test"])
    assert "&#x27;" not in invitation.body and "&amp;" not in invitation.body
    link = re.search(r"https?://\S+/invitations/\S+", invitation.body)
    assert link is not None, invitation.body
    path = "/invitations/" + link.group(0).split("/invitations/", 1)[1]

    colleague_context = browser.new_context(viewport=PHONE, locale="en-GB")
    colleague = colleague_context.new_page()
    colleague.goto(f"{base}{path}")
    expect(colleague.get_by_role("heading", name="Join Harbour Bakery")).to_be_visible()
    _field(colleague, "Your full name").fill("Tomás Reyes")
    _field(colleague, "Choose a password").fill(PASSWORD)
    _field(colleague, "Repeat the password").fill(PASSWORD)
    colleague.get_by_role("button", name="Accept and join").click()
    expect(colleague.get_by_role("heading", name="Good to see you, Tomás")).to_be_visible()

    # Home's next step for a first-time person: write a first OKR (or start the academy).
    expect(colleague.get_by_role("link", name="Start the academy")).to_be_visible()
    colleague.get_by_role("link", name="Write your first OKR").click()
    _field(colleague, "Objective").fill("Bake the morning order before the first van leaves")
    colleague.get_by_role("button", name="Save objective").click()
    expect(
        colleague.get_by_role(
            "heading", name="Bake the morning order before the first van leaves", level=1
        )
    ).to_be_visible()
    colleague_context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
@pytest.mark.parametrize(
    ("email", "team"),
    [
        ("maya.okafor@kestrel.example", "Customer Success"),
        ("helena.marsh@kestrel.example", "Kestrel Freight"),
    ],
    ids=["manager", "executive"],
)
def test_team_okrs_are_two_clicks_from_home(
    live_server: Any, page: Any, checks: PageChecks, viewport: dict[str, int], email: str, team: str
) -> None:
    seed_people()
    seed_okrs()
    page.set_viewport_size(viewport)
    _sign_in(page, live_server.url, email)
    checks.fits("home")
    clicks = 0
    page.get_by_role("link", name="Team OKRs").first.click()
    clicks += 1
    expect(page.get_by_role("heading", name=re.compile(re.escape(team)), level=1)).to_be_visible()
    assert clicks <= 2
    checks.accessible(f"team OKRs of {team}")
    checks.fits("team OKRs")


@pytest.mark.django_db(transaction=True)
def test_phone_navigation_and_swaps_keep_the_console_clean(
    live_server: Any, page: Any, checks: PageChecks
) -> None:
    seed_people()
    seed_okrs()
    page.set_viewport_size(PHONE)
    _sign_in(page, live_server.url, "maya.okafor@kestrel.example")
    checks.fits("home")
    checks.screenshot("phone-home")

    # The menu button: closed, opens with the keyboard, Escape closes it and keeps focus.
    menu = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Main")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(nav.get_by_role("link", name="My OKRs")).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Academy")).to_be_visible()
    checks.accessible("phone menu open")
    checks.screenshot("phone-menu")
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    menu.click()
    nav.get_by_role("link", name="My OKRs").click()
    expect(page.get_by_role("heading", name="My OKRs")).to_be_visible()
    checks.fits("my OKRs")
    checks.accessible("my OKRs at phone width")
    checks.screenshot("phone-my-okrs")

    # An inline check-in swaps the row and, out of band, the objective's progress.
    card = page.locator("article.objective-card").first
    objective_bar = card.locator(".card__head progress")
    before = objective_bar.get_attribute("value")
    form = card.locator("form.quick-check-in").first
    form.locator("input[name$='-value']").fill("1000000")
    form.locator("input[name$='-confidence']").fill("7")
    form.get_by_role("button", name="Check in").click()
    expect(card.get_by_text("Check-in recorded")).to_be_visible()
    checks.after_swaps("my OKRs after an inline check-in")
    expect(objective_bar).not_to_have_attribute("value", before or "")

    # The company tree: Show loads the aligned objectives, the link then reads Hide.
    page.goto(f"{live_server.url}/o/kestrel/okrs/company/")
    first = page.get_by_role("link", name=re.compile(r"^Show \d+ aligned objectives?")).first
    toggle = page.locator(f'[aria-controls="{first.get_attribute("aria-controls")}"]')
    toggle.click()
    expect(toggle).to_have_text(re.compile(r"^\s*Hide \d+ aligned objectives?\s*$"))
    expect(toggle).to_have_attribute("aria-expanded", "true")
    checks.after_swaps("company tree after Show")
    toggle.click()
    expect(toggle).to_have_text(re.compile(r"^\s*Show \d+ aligned objectives?\s*$"))
    expect(toggle).to_have_attribute("aria-expanded", "false")
    checks.fits("company tree")
