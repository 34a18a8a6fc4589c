"""Journey: the teams directory at 1280 px and at 390 px. It shows the company and its
departments; a department's teams open on demand (a <details> whose rows htmx loads, with a
plain link inside for a browser without JavaScript), and a search finds a team at any depth."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, SCREENSHOTS, PageChecks
from okrcoach.demo.people import DEMO_PASSWORD, seed_people
from okrcoach.orgs import selectors
from okrcoach.orgs.models import Team

VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
MANAGER = "maya.okafor@kestrel.example"


def _sign_in(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(MANAGER)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


@pytest.mark.django_db(transaction=True)
@VIEWPORTS
def test_a_member_opens_a_departments_teams_and_finds_a_team(
    live_server: Any, page: Any, checks: PageChecks, viewport: dict[str, int]
) -> None:
    org = seed_people()
    page.set_viewport_size(viewport)
    _sign_in(page, live_server)

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


@pytest.mark.django_db(transaction=True)
@VIEWPORTS
def test_a_member_pages_through_every_level_of_a_long_directory(
    live_server: Any,
    page: Any,
    checks: PageChecks,
    viewport: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pages of two teams (the live server runs in this process): two more companies make three
    roots, Kestrel Freight's four departments take two pages, a department's teams too. Each
    "Show N more" appends the next page in place and takes the keyboard focus to it."""
    org = seed_people()
    for name in ("Atlas Holdings", "Beacon Labs"):
        Team.objects.create(organisation=org, name=name, slug=name.lower().replace(" ", "-"))
    monkeypatch.setattr(selectors, "TEAM_DIRECTORY_PAGE", 2)
    company = Team.objects.for_org(org).get(parent=None, name="Kestrel Freight")
    biggest = max(
        Team.objects.for_org(org).filter(parent=company),
        key=lambda d: Team.objects.for_org(org).filter(parent=d).count(),
    )
    team_count = Team.objects.for_org(org).filter(parent=biggest).count()
    assert team_count > 2
    page.set_viewport_size(viewport)
    _sign_in(page, live_server)

    page.goto(f"{live_server.url}/o/{org.slug}/teams/")
    expect(page.get_by_role("link", name="Atlas Holdings", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Kestrel Freight", exact=True)).to_have_count(0)
    expect(page.get_by_text("2 of 3 shown")).to_be_visible()
    checks.accessible("teams directory, first page of roots")

    page.get_by_role("link", name="Show 1 more team", exact=True).click()
    expect(page.get_by_role("link", name="Kestrel Freight", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Kestrel Freight", exact=True)).to_be_focused()
    checks.after_swaps("teams directory, the last root appended")
    departments = page.get_by_role("list", name="Teams in Kestrel Freight")
    expect(departments.locator(":scope > li.team-row:not(.team-row--more)")).to_have_count(2)
    checks.screenshot(f"teams-directory-show-more-{viewport['width']}")
    page.get_by_role("link", name="Show 2 more teams in Kestrel Freight").click()
    expect(departments.locator(":scope > li.team-row:not(.team-row--more)")).to_have_count(4)
    checks.after_swaps("teams directory, more departments appended")
    checks.accessible("teams directory, more departments appended")
    checks.fits("teams directory, more departments appended")

    details = page.locator("details.subteams").filter(
        has=page.locator("summary", has_text=f" in {biggest.name}")
    )
    details.locator("summary").click()
    teams = details.get_by_role("list", name=f"Teams in {biggest.name}")
    expect(teams.get_by_role("link", name=re.compile("^OKRs"))).to_have_count(2)
    more = teams.get_by_role("link", name=re.compile(f"^Show \\d+ more teams? in {biggest.name}"))
    while more.count():
        more.first.click()
        checks.after_swaps(f"teams directory, more of {biggest.name}")
    expect(teams.get_by_role("link", name=re.compile("^OKRs"))).to_have_count(team_count)
    checks.accessible("teams directory, a department paged to its end")
    checks.fits("teams directory, a department paged to its end")
    checks.screenshot(f"teams-directory-paged-{viewport['width']}")


@pytest.mark.django_db(transaction=True)
def test_without_javascript_show_more_opens_the_next_page_with_a_way_back(
    live_server: Any, browser: Any, checks: PageChecks, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = seed_people()
    for name in ("Atlas Holdings", "Beacon Labs"):
        Team.objects.create(organisation=org, name=name, slug=name.lower().replace(" ", "-"))
    monkeypatch.setattr(selectors, "TEAM_DIRECTORY_PAGE", 2)
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="en-GB")
    page = context.new_page()
    try:
        _sign_in(page, live_server)
        page.goto(f"{live_server.url}/o/{org.slug}/teams/")
        page.get_by_role("link", name="Show 1 more team", exact=True).click()
        expect(page).to_have_url(re.compile(r"/teams/\?page=2$"))
        expect(page.get_by_role("link", name="Kestrel Freight", exact=True)).to_be_visible()
        expect(page.get_by_text("Teams 3–3 of 3")).to_be_visible()
        expect(page.get_by_text("Page 2 of 2")).to_be_visible()
        page.screenshot(
            path=str(SCREENSHOTS / "teams-directory-no-js-page-2-390.png"), full_page=True
        )
        page.get_by_role("link", name="Previous").click()
        expect(page.get_by_role("link", name="Atlas Holdings", exact=True)).to_be_visible()
    finally:
        context.close()
