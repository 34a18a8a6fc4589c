"""Journey: a member mentions her manager in a comment on a key result; the manager sees the
unread count, opens the inbox, follows the link to the comment and replies; the member gets the
reply by email, sent by the real task worker through a real SMTP server on loopback. Also
renders the member's weekly digest as a phone would show it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import PageChecks, run_task_worker
from okrcoach.comms import digest
from okrcoach.core.tests.smtp import body_of, smtp_server
from okrcoach.demo.okrs import seed_okrs
from okrcoach.demo.people import DEMO_PASSWORD, seed_people
from okrcoach.okrs.models import Cycle, KeyResult, Objective
from okrcoach.orgs.models import Membership, Organisation

SHOTS = Path("/work/shots/comms")


def sign_in(page: Any, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def keep(path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


@pytest.mark.django_db(transaction=True)
def test_member_mentions_manager_who_replies_and_the_reply_arrives_by_email(
    live_server: Any, page: Any, checks: PageChecks, settings: Any
) -> None:
    seed_people()
    seed_okrs()
    org = Organisation.objects.get(slug="kestrel")
    jordan = Membership.objects.for_org(org).get(user__email="jordan.ellis@kestrel.example")
    kr = (
        KeyResult.objects.for_org(org)
        .filter(
            owner=jordan,
            objective__cycle__state=Cycle.State.ACTIVE,
            objective__visibility=Objective.Visibility.PUBLIC,
        )
        .order_by("pk")
        .first()
    )
    assert kr is not None
    with smtp_server() as (port, inbox):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        settings.SITE_URL = live_server.url

        # The member writes a comment and mentions her manager through the autocomplete.
        sign_in(page, live_server.url, jordan.user.email)
        page.goto(f"{live_server.url}/o/kestrel/comments/key_result/{kr.public_id}/")
        expect(page.get_by_role("heading", name=kr.title)).to_be_visible()
        box = page.get_by_label("Add a comment")
        box.press_sequentially("Could you sanity-check the baseline, @may", delay=20)
        page.get_by_role("option", name="Maya Okafor (@maya.okafor)").click()
        expect(box).to_have_value("Could you sanity-check the baseline, @maya.okafor ")
        box.press_sequentially("before Friday?", delay=10)
        expect(page.get_by_text("Will notify: Maya Okafor")).to_be_visible()
        checks.accessible("comment form with a mention")
        page.get_by_role("button", name="Post comment").click()
        comment = page.locator(".comment").filter(has_text="before Friday?")
        expect(comment).to_be_visible()
        expect(comment.get_by_role("link", name="@maya.okafor")).to_have_count(0)
        checks.accessible("thread with a mention")
        keep(checks.screenshot("comms-thread-with-mention"))

        # The manager sees the unread count, opens the inbox and follows the link.
        sign_in(page, live_server.url, "maya.okafor@kestrel.example")
        badge = page.locator("#inbox-link")
        expect(badge).to_contain_text("1 unread")
        badge.click()
        expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
        link = page.get_by_role("link", name=f"Jordan Ellis commented on {kr.title}")
        expect(link).to_be_visible()
        checks.accessible("inbox")
        keep(checks.screenshot("comms-inbox"))
        link.click()
        thread = f"{live_server.url}/o/kestrel/comments/key_result/{kr.public_id}/"
        expect(page).to_have_url(re.compile(re.escape(thread) + "#comment-[0-9a-f-]+$"))
        expect(page.locator("#inbox-link")).not_to_contain_text("unread")

        # She replies in the thread.
        page.locator(".comment").filter(has_text="before Friday?").get_by_role(
            "link", name="Reply"
        ).click()
        expect(page.get_by_text("Replying to Jordan Ellis")).to_be_visible()
        page.get_by_label("Add a comment").fill(
            "Baseline checked against the March export: it holds."
        )
        expect(page.get_by_text("Will notify: Jordan Ellis")).to_be_visible()
        page.get_by_role("button", name="Post comment").click()
        expect(page.locator(".comment-list--replies")).to_contain_text("it holds.")

        # The worker sends the reply to the member through SMTP.
        run_task_worker(page)
        mails = [m for m in inbox if m["To"] == jordan.user.email]
        assert len(mails) == 1, [m["To"] for m in inbox]
        assert "it holds." in body_of(mails[0])
        assert mails[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The member's weekly digest, as a phone shows it.
    members = list(Membership.objects.for_org(org).filter(pk=jordan.pk).select_related("user"))
    built = digest.build_digests(org, members, digest.timezone.localdate())
    html = str(digest.render_digest(built[0], org).alternatives[0][0])
    # A blank page of its own: mail clients show inline styles, our site's CSP would not.
    phone = page.context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.set_content(html)
    expect(phone.get_by_role("heading", name="Your week in Kestrel", exact=False)).to_be_visible()
    expect(phone.get_by_text("What you owe")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / "comms-digest-email.png"), full_page=True)
    phone.close()
