"""Journey: the teams directory at 1280 px and at 390 px. It shows the company and its
departments; a department's teams open on demand (a <details> whose rows htmx loads, with a
plain link inside for a browser without JavaScript), and a search finds a team at any depth."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, PageChecks
from okrcoach.demo.people import DEMO_PASSWORD, seed_people

VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
MANAGER = "maya.okafor@kestrel.example"


@pytest.mark.django_db(transaction=True)
@VIEWPORTS
def test_a_member_opens_a_departments_teams_and_finds_a_team(
    live_server: Any, page: Any, checks: PageChecks, viewport: dict[str, int]
) -> None:
    org = seed_people()
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(MANAGER)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    page.goto(f"{live_server.url}/o/{org.slug}/teams/")
    expect(page.get_by_role("heading", name="Teams", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Kestrel Freight", exact=True)).to_be_visible()
    checks.accessible("teams directory")
    checks.fits("teams directory")

    department = page.locator("details.subteams").first
    summary = department.locator("summary")
    label = summary.inner_text()  # "4 teams in Operations"
    department_name = label.split(" in ", 1)[1]
    teams = department.get_by_role("list", name=f"Teams in {department_name}")
    expect(teams.get_by_role("link", name=f"List the teams in {department_name}")).to_be_hidden()
    summary.click()
    expect(teams.get_by_role("link", name=re.compile("^OKRs")).first).to_be_visible()
    expect(teams.get_by_role("link", name=f"List the teams in {department_name}")).to_have_count(0)
    count = int(label.split(" ", 1)[0])
    expect(teams.get_by_role("link", name=re.compile("^OKRs"))).to_have_count(count)
    checks.after_swaps("teams directory, a department opened")
    checks.accessible("teams directory, a department opened")
    checks.fits("teams directory, a department opened")
    checks.screenshot(f"teams-directory-opened-{viewport['width']}")

    first_team = teams.locator("li.team-row strong").first.inner_text()
    page.get_by_label("Find a team").fill(first_team[:5])
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("list", name=re.compile("^Teams named like"))).to_be_visible()
    expect(page.get_by_role("link", name=first_team, exact=True)).to_be_visible()
    checks.accessible("teams directory, search")
    checks.fits("teams directory, search")
