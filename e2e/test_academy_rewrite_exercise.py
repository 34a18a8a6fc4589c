"""Journey: a manager rewrites a task as a key result, reads the coach's finding with its
question and suggestion, fixes the key result and passes."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import PageChecks
from okrcoach.academy.loader import load_courses
from okrcoach.academy.models import ActivityProgress, Module
from okrcoach.demo.academy import COURSE_SLUG, complete_modules
from okrcoach.demo.people import DEMO_PASSWORD, seed_people
from okrcoach.orgs.models import Membership


@pytest.mark.django_db(transaction=True)
def test_manager_gets_the_coachs_finding_fixes_the_key_result_and_passes(
    live_server: Any, page: Any, checks: PageChecks
) -> None:
    org = seed_people()
    load_courses()
    aisha = Membership.objects.for_org(org).get(user__full_name="Aisha Bello")
    modules = list(
        Module.objects.filter(course__slug=COURSE_SLUG, course__organisation__isnull=True)
        .select_related("course")
        .order_by("position")
    )
    complete_modules(aisha, modules[:2])

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(aisha.user.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Academy").click()
    page.get_by_role("link", name="Writing key results").first.click()
    page.get_by_role("link", name="Ladder rung 1: from task to key result").click()
    expect(
        page.get_by_role("heading", name="Ladder rung 1: from task to key result")
    ).to_be_visible()
    checks.accessible("rewrite exercise")

    draft = page.get_by_label("Your rewrite")
    draft.fill("Hold a Saturday story-time session in every branch")
    page.get_by_role("button", name="Ask the coach").click()
    feedback = page.get_by_role("status")
    expect(feedback.get_by_text("Not passed yet")).to_be_visible()
    expect(feedback.get_by_text("KR-04-OUTCOME")).to_be_visible()
    expect(
        feedback.get_by_text("This describes a task or deliverable (an output)", exact=False)
    ).to_be_visible()
    expect(feedback.get_by_text("Ask yourself:")).to_be_visible()
    checks.accessible("rewrite feedback (blocking finding)")
    checks.screenshot("rewrite_feedback")

    page.get_by_role("link", name="Write another version").click()
    draft = page.get_by_label("Your rewrite")
    # The last draft comes back for editing rather than a blank box.
    expect(draft).to_have_value("Hold a Saturday story-time session in every branch")
    draft.fill(
        "Saturday borrowing by families on children's cards rises from 1,100 to 1,600 items "
        "a month (library management system loan report)"
    )
    page.get_by_role("button", name="Ask the coach").click()
    expect(feedback.get_by_text("Passed", exact=True)).to_be_visible()
    expect(feedback.get_by_text("The coach found nothing to improve.")).to_be_visible()
    checks.accessible("rewrite feedback (passed)")

    progress = ActivityProgress.objects.for_org(org).get(
        enrollment__membership=aisha, activity__slug="rewrite-ladder-1", activity__module=modules[2]
    )
    assert progress.passed and progress.attempts == 2
