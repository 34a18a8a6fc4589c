"""Journey: the demo manager creates a team objective aligned to a company objective, gives it a
metric, a milestone and a levels key result, checks in on one from My OKRs, sees her objective's
and the company objective's progress move, and finds her objective in the company tree."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import PageChecks
from okrcoach.demo.okrs import seed_okrs
from okrcoach.demo.people import DEMO_PASSWORD, seed_people
from okrcoach.okrs.rollup import recompute_organisation
from okrcoach.orgs.models import Organisation

COMPANY_OBJECTIVE = "Become the freight partner customers never have to chase"
TITLE = "Make every new account feel looked after from day one"


def _seed() -> None:
    seed_people()
    seed_okrs()
    # Parents include their aligned children, so a check-in moves the company objective too.
    org = Organisation.objects.get(slug="kestrel")
    org.rollup_includes_children = True
    org.save(update_fields=["rollup_includes_children"])
    recompute_organisation(org)


def _field(page: Any, label: str) -> Any:
    """A form field by its visible label (Django adds a colon to some)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def _progress(page: Any, label: str) -> str:
    bar = page.get_by_role("progressbar", name=label).first
    return str(bar.get_attribute("value"))


def _add_key_result(page: Any, checks: PageChecks, title: str, kind: str, **fields: str) -> None:
    page.get_by_role("link", name="Add key result").click()
    expect(page.get_by_role("button", name="Save key result")).to_be_visible()
    checks.accessible(f"new key result: {kind}")
    _field(page, "Key result").fill(title)
    _field(page, "Kind").select_option(label=kind)
    for label, value in fields.items():
        _field(page, label).fill(value)
    page.get_by_role("button", name="Save key result").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_manager_aligns_a_new_objective_and_moves_the_tree(
    live_server: Any, page: Any, checks: PageChecks
) -> None:
    _seed()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("maya.okafor@kestrel.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My OKRs").click()
    expect(page.get_by_role("heading", name="My OKRs")).to_be_visible()
    checks.accessible("my okrs")

    page.get_by_role("link", name="Company OKRs").click()
    page.get_by_role("link", name=COMPANY_OBJECTIVE).first.click()
    expect(page.get_by_role("heading", name=COMPANY_OBJECTIVE, level=1)).to_be_visible()
    checks.accessible("company objective before")
    parent_before = _progress(page, "Objective progress")

    page.get_by_role("link", name="Add an objective aligned to this one").click()
    expect(page.get_by_role("button", name="Save objective")).to_be_visible()
    checks.accessible("new objective")
    _field(page, "Objective").fill(TITLE)
    _field(page, "Why this, why now").fill(
        "Accounts that go live within two weeks renew far more often."
    )
    _field(page, "Level").select_option(label="Team")
    _field(page, "Status").select_option(label="Published")
    _field(page, "Weight").fill("3")
    expect(_field(page, "Aligns to")).to_have_value(re.compile(r".+"))
    page.get_by_role("button", name="Save objective").click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_text("Objective created. Now add its key results.")).to_be_visible()
    checks.accessible("objective page: new")

    _add_key_result(
        page,
        checks,
        "New accounts live within 14 days rise from 55% to 85%",
        "Metric: from a baseline to a target",
        Baseline="55",
        Target="85",
    )
    _add_key_result(
        page, checks, "Welcome playbook published for every segment", "Milestone: done or not done"
    )
    _add_key_result(
        page,
        checks,
        "Onboarding survey reaches the agreed standard",
        "Levels: commit, target, stretch",
        **{"Commit level": "Survey sent", "Target level": "Score 8+", "Stretch level": "Score 9+"},
    )
    expect(page.get_by_role("progressbar", name="Objective progress")).to_have_attribute(
        "value", "0"
    )

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My OKRs").click()
    row = page.locator(".kr-row", has_text="Welcome playbook published for every segment")
    row.get_by_label("Milestone").select_option(label="Done")
    row.get_by_label("Confidence (0–10)").fill("8")
    row.get_by_role("button", name="Check in").click()
    expect(row.get_by_text("Check-in recorded")).to_be_visible()
    checks.accessible("my okrs after check-in")
    checks.screenshot("my_okrs")

    page.get_by_role("link", name=TITLE).first.click()
    expect(page.get_by_role("progressbar", name="Objective progress")).to_have_attribute(
        "value", "33"
    )
    checks.accessible("objective page after check-in")
    checks.screenshot("objective_page")

    page.get_by_role("link", name=COMPANY_OBJECTIVE).first.click()
    expect(page.get_by_role("heading", name=COMPANY_OBJECTIVE, level=1)).to_be_visible()
    assert _progress(page, "Objective progress") != parent_before
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Company").click()
    expect(page.get_by_role("heading", name="Company OKRs")).to_be_visible()
    node = page.locator(".okr-node", has_text=COMPANY_OBJECTIVE).first
    node.get_by_role("link", name=re.compile(r"Show \d+ aligned objectives?")).click()
    expect(node.get_by_role("link", name=TITLE)).to_be_visible()
    checks.accessible("company tree")
    checks.screenshot("company_tree")
