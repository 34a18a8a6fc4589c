"""Journeys through insights on the demo: the executive opens Home and follows an at-risk
department to a key result and its last check-in; the manager reads the heat map and the
calibration chart; the admin opens the training impact and reads the estimate, its interval and
its limits; the executive summary prints on one page. axe and the console are checked on every
page; screenshots go to /work/shots/insights/ when that folder exists (else e2e/screenshots)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import PageChecks
from okrcoach.demo.academy import seed_academy
from okrcoach.demo.insights import seed_insights
from okrcoach.demo.okrs import seed_okrs
from okrcoach.demo.people import DEMO_PASSWORD, seed_people

SHOTS = Path("/work/shots/insights")


def _shot(page: Any, checks: PageChecks, name: str) -> None:
    """At 1280 px, then at 390 px (a phone), then back."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 860})
        label = name if width == 1280 else f"{name}-390"
        if SHOTS.is_dir():
            page.screenshot(path=str(SHOTS / f"{label}.png"), full_page=True)
        else:
            checks.screenshot(f"insights-{label}")
    page.set_viewport_size({"width": 1280, "height": 860})


def _sign_in(page: Any, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("Good to see you"))).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_insights_journeys_for_executive_manager_admin_and_member(
    live_server: Any, page: Any, checks: PageChecks
) -> None:
    seed_people()
    seed_okrs()
    seed_academy()
    seed_insights()
    base = live_server.url

    # The executive: Home says where the company stands; an at-risk department leads to a key
    # result, and the key result's page shows its last check-in.
    _sign_in(page, base, "helena.marsh@kestrel.example")
    expect(page.get_by_role("heading", name=re.compile("The company in"))).to_be_visible()
    expect(page.get_by_text("Demo data").first).to_be_visible()
    checks.accessible("executive home")
    _shot(page, checks, "home-executive")
    departments = page.get_by_role("table").filter(has_text="At risk or off track")
    risky = departments.locator("tbody tr td:nth-child(2) a").first
    risky.click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Key results: "))).to_be_visible()
    checks.accessible("key results of a department")
    row = page.locator("tbody tr").first
    expect(row.locator(".badge")).to_have_text(re.compile("At risk|Off track"))
    row.locator("th a").first.click()
    expect(page.get_by_role("heading", name="Key results")).to_be_visible()
    expect(page.get_by_role("table").filter(has_text="Confidence").first).to_be_visible()
    expect(page.locator(".pace").first).to_contain_text(re.compile(r"\d+% at week \d+ of \d+"))
    checks.accessible("objective page with pace status")
    _shot(page, checks, "objective-pace-forecast")

    page.goto(f"{base}/o/kestrel/insights/summary/")
    expect(page.get_by_role("heading", name=re.compile("Executive summary"))).to_be_visible()
    checks.accessible("executive summary")
    _shot(page, checks, "executive-summary")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, "the summary prints on one page"
    if SHOTS.is_dir():
        (SHOTS / "executive-summary.pdf").write_bytes(pdf)
    page.emulate_media(media="screen")

    # The manager: the heat map and the team's calibration chart.
    _sign_in(page, base, "maya.okafor@kestrel.example")
    expect(page.get_by_role("table", name=re.compile("Heat map"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Calibration")).first).to_be_visible()
    checks.accessible("manager home")
    _shot(page, checks, "home-manager")
    page.get_by_role("link", name="Details").click()
    expect(page.get_by_role("heading", name="Confidence calibration")).to_be_visible()
    checks.accessible("calibration page")
    _shot(page, checks, "calibration-team")

    # The admin: training impact, with its estimate, interval and limits.
    _sign_in(page, base, "nora.quinn@kestrel.example")
    checks.accessible("admin home")
    _shot(page, checks, "home-admin")
    page.get_by_role("link", name=re.compile("See the training impact")).click()
    expect(page.get_by_role("heading", name="Training impact")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("row", name=re.compile("On-time check-in rate"))).to_contain_text(
        re.compile(r"-?\d\.\d{3} to -?\d\.\d{3}")
    )
    expect(page.get_by_role("heading", name="What this can and cannot tell you")).to_be_visible()
    expect(page.get_by_text(re.compile("not proof of cause"))).to_be_visible()
    checks.accessible("training impact")
    _shot(page, checks, "training-impact")

    # The member: their key results by status and their assignments.
    _sign_in(page, base, "jordan.ellis@kestrel.example")
    expect(page.get_by_role("heading", name="My key results")).to_be_visible()
    checks.accessible("member home")
    _shot(page, checks, "home-member")
