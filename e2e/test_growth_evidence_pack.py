"""Journey: the admin opens Jordan's evidence pack from his person page and prints it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import PageChecks
from e2e.test_growth_one_on_one import SHOTS, shoot, sign_in
from okrcoach.demo.growth import seed_growth
from okrcoach.demo.okrs import seed_okrs
from okrcoach.demo.people import seed_people


@pytest.mark.django_db(transaction=True)
def test_an_admin_prints_an_evidence_pack(live_server: Any, page: Any, checks: PageChecks) -> None:
    seed_people()
    seed_okrs()
    seed_growth()
    sign_in(page, live_server.url, "nora.quinn@kestrel.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    page.get_by_label("Search").fill("Jordan")
    page.get_by_role("link", name="Jordan Ellis").first.click()
    page.get_by_role("navigation", name="Growth").get_by_role("link", name="Evidence pack").click()
    expect(page.get_by_role("heading", name="Evidence pack: Jordan Ellis")).to_be_visible()
    expect(page.get_by_role("heading", name="Why this pack computes no rating")).to_be_visible()
    expect(page.get_by_text("OKR grades are not performance ratings")).to_be_visible()
    expect(page.get_by_role("heading", name="Development OKRs")).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile("^Get my accounts to their first value"))
    ).to_be_visible()
    # A finished development OKR shows its status, date and note, and no grade.
    done = page.locator("article", has_text="Run a renewal call without a script")
    expect(done.get_by_text("Done", exact=True)).to_be_visible()
    expect(done.get_by_text(re.compile(r"^since "))).to_be_visible()
    expect(
        done.get_by_text("Ran the Harbour Foods renewal from a one-line outline")
    ).to_be_visible()
    checks.accessible("evidence pack")
    shoot(page, checks, "evidence-pack")

    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    page.screenshot(path=f"{SHOTS}/evidence-pack-print.png", full_page=True)
    pdf = page.pdf(path=f"{SHOTS}/evidence-pack.pdf", format="A4", print_background=True)
    assert pdf[:4] == b"%PDF" and len(pdf) > 10_000
    checks.accessible("evidence pack (print)")
