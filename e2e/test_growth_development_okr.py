"""Journey: Leila writes a development OKR linked to a skill; her manager Maya can open it, her
teammate Theo cannot. Maya then looks at Leila's skills."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PageChecks
from e2e.test_growth_one_on_one import SHOTS, sign_in
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
    page.screenshot(path=f"{SHOTS}/development-okr.png", full_page=True)
    url = page.url

    sign_in(page, live_server.url, "maya.okafor@kestrel.example")
    page.goto(url)
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    checks.accessible("development OKR as manager")
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
    checks.accessible("skills")
    page.screenshot(path=f"{SHOTS}/skills.png", full_page=True)
