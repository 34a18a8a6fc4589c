"""Journey: the quarter is over and in grading. The demo manager opens the grading page, keeps
one key result's default grade, overrides another with a reason, writes her objective's
retrospective and her team's, and reads the cycle's evaluation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import PageChecks
from okrcoach.demo.okrs import seed_okrs
from okrcoach.demo.people import DEMO_PASSWORD, seed_people
from okrcoach.okrs.models import Cycle
from okrcoach.orgs.models import Organisation

OBJECTIVE = "Turn onboarding into the reason customers renew"
KEPT = "New customers live within 14 days rise from 55% to 85%"
OVERRIDDEN = "Quarterly account churn falls from 3.1% to 2.0%"


def _seed() -> str:
    seed_people()
    seed_okrs()
    org = Organisation.objects.get(slug="kestrel")
    cycle = Cycle.objects.for_org(org).get(state=Cycle.State.ACTIVE)
    cycle.state = Cycle.State.GRADING
    cycle.save(update_fields=["state"])
    return cycle.name


def _field(scope: Any, label: str) -> Any:
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


@pytest.mark.django_db(transaction=True)
def test_manager_grades_a_finished_cycle_and_writes_retrospectives(
    live_server: Any, page: Any, checks: PageChecks
) -> None:
    cycle_name = _seed()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("maya.okafor@kestrel.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My OKRs").click()
    page.get_by_role("link", name="Cycles").click()
    expect(page.get_by_role("heading", name="Cycles", exact=True)).to_be_visible()
    checks.accessible("cycles")
    page.get_by_role("row", name=re.compile(re.escape(cycle_name))).get_by_role(
        "link", name="Grades"
    ).click()
    expect(page.get_by_role("heading", name=f"Grading {cycle_name}")).to_be_visible()
    checks.accessible("grading page")

    card = page.get_by_role("article", name=OBJECTIVE)
    kept = card.locator(".kr-row", has_text=KEPT)
    kept.get_by_role("button", name="Save grade").click()
    expect(kept.get_by_text("Grade saved")).to_be_visible()

    overridden = card.locator(".kr-row", has_text=OVERRIDDEN)
    _field(overridden, "Grade (0.0–1.0)").fill("0.4")
    overridden.get_by_role("button", name="Save grade").click()
    expect(overridden.get_by_text("Say why the grade differs")).to_be_visible()
    _field(overridden, "Grade (0.0–1.0)").fill("0.4")
    _field(overridden, "Why this grade").fill("Two renewals slipped into next quarter.")
    overridden.get_by_role("button", name="Save grade").click()
    expect(overridden.get_by_text("Grade saved")).to_be_visible()
    expect(overridden.get_by_text(re.compile(r"^Grade 0\.40?$"))).to_be_visible()
    checks.accessible("grading page after grading")
    page.reload()
    expect(card.get_by_text(re.compile(r"Score \d\.\d\d"))).to_be_visible()
    checks.screenshot("grading_page")

    card.get_by_role("link", name="Write the retrospective").click()
    expect(page.get_by_role("heading", name=f"Retrospective: {OBJECTIVE}")).to_be_visible()
    checks.accessible("retrospective form")
    _field(page, "What went well").fill("Go-live within two weeks became the team's habit.")
    _field(page, "What went badly").fill("Churn work started too late.")
    _field(page, "What we learned").fill("Renewals are won in the first month.")
    _field(page, "What we change next cycle").fill("Start churn interviews in week one.")
    page.get_by_role("button", name="Save retrospective").click()
    expect(page.get_by_role("heading", name=OBJECTIVE, level=1)).to_be_visible()
    expect(page.get_by_text("Renewals are won in the first month.")).to_be_visible()
    checks.accessible("objective page with retrospective")

    page.get_by_role("link", name="Customer Success").first.click()
    page.get_by_role("link", name="Compare the team's last cycles").click()
    expect(page.get_by_role("heading", name="Customer Success: cycles compared")).to_be_visible()
    checks.accessible("team cycles")
    page.get_by_role("row", name=re.compile(re.escape(cycle_name))).get_by_role(
        "link", name=re.compile("^Write")
    ).click()
    expect(page.get_by_role("heading", name=re.compile("^Team retrospective"))).to_be_visible()
    checks.accessible("team retrospective form")
    _field(page, "What went well").fill("Every account had a named owner.")
    _field(page, "What we learned").fill("Fewer, sharper key results.")
    page.get_by_role("button", name="Save team retrospective").click()
    expect(page.get_by_text("Team retrospective saved.")).to_be_visible()

    page.get_by_role("row", name=re.compile(re.escape(cycle_name))).get_by_role(
        "link", name=cycle_name, exact=True
    ).click()
    expect(page.get_by_role("heading", name=f"Evaluation of {cycle_name}")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Customer Success"))).to_be_visible()
    checks.accessible("cycle evaluation")
    checks.screenshot("cycle_evaluation")
