"""Journey: an admin assigns the manager course to a team and, once the
due date has passed, finds its people in the overdue list."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PageChecks
from okrcoach.academy.loader import load_courses
from okrcoach.academy.models import Assignment
from okrcoach.demo.people import ADMIN_NAME, DEMO_PASSWORD, email_for, seed_people

TEAM = "Warehouse North"
TEAM_PEOPLE = ["Aisha Bello", "Connor Reilly", "Mei Lin Tan", "Fatima Rahimi"]


@pytest.mark.django_db(transaction=True)
def test_admin_assigns_a_course_to_a_team_and_sees_it_overdue_after_the_due_date(
    live_server: Any, page: Any, checks: PageChecks
) -> None:
    org = seed_people()
    load_courses()

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email_for(ADMIN_NAME, "kestrel.example"))
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    page.goto(f"{live_server.url}/o/{org.slug}/academy/")
    page.get_by_role("link", name="Assign a course").click()
    expect(page.get_by_role("heading", name="Assign a course")).to_be_visible()
    checks.accessible("assign a course")

    # Choosing a team but forgetting the team names that field, and assigns nothing.
    page.get_by_label("Course").select_option(label="OKRs for managers")
    page.get_by_role("group", name="Assign to").get_by_label("A team").check()
    due = timezone.localdate() + dt.timedelta(days=14)
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_role("alert").get_by_text("Choose a team.")).to_be_visible()
    assert not Assignment.objects.for_org(org).exists()

    page.get_by_label(re.compile(r"^Team")).select_option(label=TEAM)
    page.get_by_label("Note").fill("Before the Q3 planning week, please.")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_role("heading", name="Assignments", exact=True)).to_be_visible()
    expect(page.get_by_text("Course assigned.")).to_be_visible()
    overdue = page.get_by_role("region", name="Overdue")
    expect(overdue.get_by_text("Nobody is overdue.")).to_be_visible()
    every = page.get_by_role("region", name="All assignments")
    expect(every.get_by_role("cell", name=f"A team: {TEAM}")).to_be_visible()

    # The due date passes (moved in the data, not by faking the server's clock).
    Assignment.objects.for_org(org).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    page.reload()
    table = overdue.get_by_role("table")
    for name in TEAM_PEOPLE:
        expect(table.get_by_role("link", name=name)).to_be_visible()
    expect(table.get_by_role("link", name="Maya Okafor")).to_have_count(0)
    checks.accessible("assignments with overdue people")
    checks.screenshot("assignments_overdue")
