"""Journey: the demo manager writes a task-like key result, the coach flags it as she types,
she applies the coach's rewrite, makes it measurable, and saves a key result the coach calls
good."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import PageChecks
from okrcoach.demo.okrs import seed_okrs
from okrcoach.demo.people import DEMO_PASSWORD, seed_people
from okrcoach.okrs.coaching import recoach_organisation
from okrcoach.okrs.models import Cycle, KeyResult, Objective
from okrcoach.orgs.models import Membership, Organisation

TASK = "Run six onboarding webinars for new customers"
OUTCOME = "Share of new customers who finish setup in their first week rises from 20% to 45%"


@pytest.mark.django_db(transaction=True)
def test_manager_fixes_a_task_like_key_result(
    live_server: Any, page: Any, checks: PageChecks
) -> None:
    seed_people()
    seed_okrs()
    org = Organisation.objects.get(slug="kestrel")
    recoach_organisation(org)
    maya = Membership.objects.for_org(org).get(user__email="maya.okafor@kestrel.example")
    objective = (
        Objective.objects.for_org(org)
        .filter(owner=maya, cycle__state=Cycle.State.ACTIVE)
        .order_by("pk")
        .first()
    )
    assert objective is not None

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(maya.user.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Good to see you, Maya")).to_be_visible()

    page.goto(f"{live_server.url}/o/kestrel/okrs/objectives/{objective.public_id}/key-results/new/")
    expect(page.get_by_role("heading", name="New key result")).to_be_visible()
    feedback = page.locator("#coach-feedback")
    expect(feedback).to_have_attribute("aria-live", "polite")
    checks.accessible("key result editor")
    # A marker on window survives htmx swaps but not a page load.
    page.evaluate("window.__noReload = true")

    page.get_by_label(re.compile(r"^Key result:?$")).fill(TASK)
    expect(feedback.locator("code", has_text="KR-04-OUTCOME")).to_be_visible()
    expect(feedback.get_by_text("Verdict: Needs work")).to_be_visible()
    expect(feedback.get_by_text("Who will do what differently", exact=False)).to_be_visible()
    assert page.evaluate("window.__noReload") is True
    checks.accessible("coach panel with a finding")
    checks.screenshot("coach_panel")
    # Playwright's screenshot hides the caret by leaving style="" on every input; htmx's settle
    # would copy that attribute onto the swapped-in inputs, which our CSP (rightly) refuses.
    page.evaluate(
        "document.querySelectorAll('[style=\"\"]').forEach(e => e.removeAttribute('style'))"
    )

    feedback.get_by_role("button", name=re.compile("Apply suggestion")).first.click()
    title = page.get_by_label(re.compile(r"^Key result:?$"))
    expect(title).to_have_value(re.compile(r"^Share of "))
    verdict = page.locator("#coach-feedback .coach__verdict")
    expect(verdict).to_have_text(re.compile("Verdict: (Good|Weak)"))
    assert page.evaluate("window.__noReload") is True

    # Fill in the blanks: an outcome with a baseline, a target and where the number comes from.
    title.fill(OUTCOME)
    page.get_by_label(re.compile(r"^Unit:?$")).select_option("percent")
    page.get_by_label("Baseline").fill("20")
    page.get_by_label(re.compile(r"^Target:?$")).fill("45")
    page.get_by_label("Where the number comes from").fill("Product analytics, setup funnel")
    expect(verdict).to_have_text(re.compile("Verdict: Good"))
    checks.accessible("coach panel, good")

    page.get_by_role("button", name="Save key result").click()
    expect(page.get_by_role("heading", name=objective.title, exact=True)).to_be_visible()
    saved = KeyResult.objects.for_org(org).get(objective=objective, title=OUTCOME)
    assert saved.coach_verdict["verdict"] == "good"
    card = page.get_by_role("article", name=OUTCOME)
    expect(card.get_by_role("link", name=re.compile("Coach: good"))).to_be_visible()
    checks.accessible("objective page with verdicts")
