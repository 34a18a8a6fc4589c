"""Journey: Leila writes a development OKR linked to a skill, marks it done with a note, reopens
it and drops it; her manager Maya can open it and sees its status on Leila's list, her teammate
Theo cannot. Maya then assesses Leila's skill citing Leila's own records as evidence, and the
skills view links them."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PageChecks
from e2e.test_growth_one_on_one import shoot, sign_in
from okrcoach.demo.growth import seed_growth
from okrcoach.demo.okrs import seed_okrs
from okrcoach.demo.people import seed_people

TITLE = "Learn to run a customer workshop on my own"


@pytest.mark.django_db(transaction=True)
def test_a_report_writes_a_development_okr_her_manager_sees_and_a_teammate_cannot(
    live_server: Any, page: Any, checks: PageChecks
) -> None:
    seed_people()
    seed_okrs()
    seed_growth()
    sign_in(page, live_server.url, "leila.karimi@kestrel.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Growth").click()
    page.get_by_role("link", name="My development OKRs").last.click()
    expect(page.get_by_role("heading", name="Development OKRs: Leila Karimi")).to_be_visible()
    today = timezone.localdate()
    form = page.get_by_role("region", name="New development OKR")
    form.get_by_label("Development objective").fill(TITLE)
    form.get_by_label("Why this matters to you").fill(
        "Customers ask for workshops; I want to lead one."
    )
    form.get_by_label("From").fill(today.isoformat())
    form.get_by_label("Until").fill((today + timedelta(days=90)).isoformat())
    form.get_by_label("Learning key results").fill(
        "Co-run one workshop with Maya\nRun two workshops alone rated 4/5 or better"
    )
    form.get_by_label("Customer conversations").check()
    checks.accessible("development list")
    form.get_by_role("button", name="Save development OKR").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    page.get_by_label("Progress (%)").first.fill("50")
    page.get_by_role("button", name=re.compile("^Update.*Co-run one workshop")).click()
    expect(page.get_by_text("50%").first).to_be_visible()
    checks.accessible("development OKR")
    url = page.url

    status = page.get_by_role("region", name="Status")
    status.get_by_label("Note").fill("Co-ran the workshop; running one alone is next quarter.")
    status.get_by_role("button", name="Mark done").click()
    expect(page.get_by_text("Status saved: Done.")).to_be_visible()
    status = page.get_by_role("region", name="Status")
    expect(status.get_by_text(re.compile(r"^Marked done on "))).to_be_visible()
    expect(
        status.get_by_text("Co-ran the workshop; running one alone is next quarter.")
    ).to_be_visible()
    # Done: no more progress or key results until it is reopened.
    expect(page.get_by_label("Progress (%)")).to_have_count(0)
    checks.accessible("development OKR done")
    shoot(page, checks, "development-okr")
    status.get_by_role("button", name="Reopen").click()
    expect(
        page.get_by_role("region", name="Status").get_by_text(re.compile(r"Reopened on "))
    ).to_be_visible()
    expect(page.get_by_label("Progress (%)").first).to_be_visible()
    status = page.get_by_role("region", name="Status")
    status.get_by_label("Note").fill("The workshop programme was paused.")
    status.get_by_role("button", name="Drop").click()
    expect(
        page.get_by_role("region", name="Status").get_by_text(re.compile(r"^Dropped on "))
    ).to_be_visible()
    checks.accessible("development OKR dropped")

    sign_in(page, live_server.url, "maya.okafor@kestrel.example")
    page.goto(url)
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    checks.accessible("development OKR as manager")
    page.get_by_role("link", name="Development OKRs: Leila Karimi").click()
    card = page.locator("article", has_text=TITLE)
    expect(card.get_by_text("Dropped", exact=True)).to_be_visible()
    expect(card.get_by_text("The workshop programme was paused.")).to_be_visible()
    page.goto(url.split("/growth/")[0] + "/okrs/company/")
    expect(page.get_by_text(TITLE)).to_have_count(0)

    sign_in(page, live_server.url, "theo.fischer@kestrel.example")
    response = page.goto(url)
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="You can’t do this here")).to_be_visible()
    expect(page.get_by_text(TITLE)).to_have_count(0)
    # The refusal itself is the only error the browser reported; nothing else went wrong.
    assert all("403" in e for e in checks.errors), checks.errors
    checks.errors.clear()

    sign_in(page, live_server.url, "maya.okafor@kestrel.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    page.get_by_role("link", name="Leila Karimi").first.click()
    page.get_by_role("navigation", name="Growth").get_by_role("link", name="Skills").click()
    expect(page.get_by_role("heading", name="Skills: Leila Karimi")).to_be_visible()
    form = page.get_by_role("region", name="Record a manager assessment")
    form.get_by_label(re.compile(r"^Skill:?$")).select_option(label="Customer conversations")
    form.get_by_label(re.compile(r"^Level:?$")).fill("2")
    form.get_by_label("Why this level").fill("Leads the escalation calls; writes them up well.")
    form.get_by_label("Evidence: feedback received").select_option(index=1)
    key_results = form.get_by_label("Evidence: a key result")
    has_kr = key_results.locator("option").count() > 1
    if has_kr:
        key_results.select_option(index=1)
    form.get_by_role("button", name="Record assessment").click()
    expect(page.get_by_text("Assessment recorded.")).to_be_visible()
    evidence = page.get_by_role("list", name="Evidence").last
    expect(
        evidence.get_by_role("link", name=re.compile("^Feedback from Maya Okafor"))
    ).to_be_visible()
    if has_kr:
        expect(evidence.get_by_role("link", name=re.compile("^KR: "))).to_be_visible()
    checks.accessible("skills")
    shoot(page, checks, "skills")
    evidence.get_by_role("link", name=re.compile("^Feedback from Maya Okafor")).click()
    expect(page.get_by_role("heading", name="Feedback for Leila Karimi")).to_be_visible()
    expect(page.get_by_text("lead with the customer impact")).to_be_visible()
    checks.accessible("feedback cited as evidence")
