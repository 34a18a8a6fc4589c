"""Journey: an admin adds a Slack-format webhook endpoint, sends a test event, and sees the
delivery in the log. The endpoint is a real HTTP receiver on loopback that checks the Standard
Webhooks signature; the real task worker delivers."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import PageChecks, run_task_worker
from okrcoach.comms.tests.receiver import receiver
from okrcoach.demo.people import DEMO_PASSWORD, seed_people

SHOTS = Path("/work/shots/comms")


@pytest.mark.django_db(transaction=True)
def test_admin_adds_a_slack_endpoint_and_sends_a_test_event(
    live_server: Any, page: Any, checks: PageChecks, settings: Any
) -> None:
    seed_people()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.SITE_URL = live_server.url
    with receiver() as hook:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill("nora.quinn@kestrel.example")
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role(
            "link", name="Webhooks: Slack, Microsoft Teams and your own services"
        ).click()
        expect(page.get_by_role("heading", name="Webhooks", exact=True)).to_be_visible()
        checks.accessible("webhooks page")
        page.get_by_label("URL").fill(hook.url)
        page.get_by_label("Format").select_option("slack")
        page.get_by_label("A check-in was recorded").check()
        page.get_by_label("A key result turned at risk").check()
        page.get_by_label("Description").fill("#customer-success in Slack")
        page.get_by_role("button", name="Add endpoint").click()
        expect(page.get_by_role("heading", name="#customer-success in Slack")).to_be_visible()
        hook.secret = page.locator("#webhook-secret").inner_text().strip()
        page.get_by_role("button", name="Send a test event").click()
        expect(page.get_by_text("Test event queued")).to_be_visible()
        run_task_worker(page)
        page.reload()
        row = page.locator("tbody tr").first
        expect(row).to_contain_text("test.ping")
        expect(row).to_contain_text("Delivered")
        expect(row).to_contain_text("200")
        expect(row).to_contain_text(" ms")
        checks.accessible("delivery log")
        shot = checks.screenshot("comms-webhook-delivery-log")
        SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, SHOTS / shot.name)
    assert len(hook.requests) == 1
    received = hook.requests[0]
    assert received.signature_ok
    assert received.json["blocks"][0]["type"] == "section"
    assert "Test event" in received.json["text"]
