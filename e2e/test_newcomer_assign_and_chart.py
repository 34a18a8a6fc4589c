"""Journeys for two screens a newcomer found hard, at 1280 px and at 390 px:

- the course-assignment form: one "Assign to" choice that shows only its control, a search box
  over the checkbox list of people, and every error at once;
- the key result chart on the objective page: dates, a value axis with its unit, the target and
  the expected pace, with its data as a table."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db.models import Count
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, SCREENSHOTS, PageChecks
from okrcoach.academy.loader import load_courses
from okrcoach.academy.models import Assignment
from okrcoach.demo.okrs import seed_okrs
from okrcoach.demo.people import ADMIN_NAME, DEMO_PASSWORD, email_for, seed_people
from okrcoach.okrs.models import KeyResult

VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


@pytest.mark.django_db(transaction=True)
@VIEWPORTS
def test_assigning_a_course_shows_one_control_at_a_time_and_all_errors_at_once(
    live_server: Any, page: Any, checks: PageChecks, viewport: dict[str, int]
) -> None:
    org = seed_people()
    load_courses()
    page.set_viewport_size(viewport)
    _sign_in(page, live_server.url, email_for(ADMIN_NAME, "kestrel.example"))
    page.goto(f"{live_server.url}/o/{org.slug}/academy/assignments/new/")
    expect(page.get_by_role("heading", name="Assign a course")).to_be_visible()
    choice = page.get_by_role("group", name="Assign to")
    people = page.get_by_role("group", name=re.compile("^People"))
    team = page.get_by_label(re.compile("^Team"))
    # "All managers" is chosen first: neither the people nor the team control shows.
    expect(choice.get_by_label("All managers")).to_be_checked()
    expect(people).to_be_hidden()
    expect(team).to_be_hidden()
    checks.accessible("assign form, all managers")
    checks.fits("assign form")

    choice.get_by_label("A team").check()
    expect(team).to_be_visible()
    expect(people).to_be_hidden()

    choice.get_by_label("Selected people").check()
    expect(people).to_be_visible()
    expect(team).to_be_hidden()
    search = page.get_by_role("searchbox", name="Find people by name or email")
    search.fill("aisha")
    visible = people.locator("li:visible")
    expect(visible).to_have_count(1)
    people.get_by_label(re.compile("^Aisha Bello")).check()
    search.fill("")
    expect(people.locator("li:visible").first).to_be_visible()

    # No course and no due date: both reported at once, each naming its field.
    page.get_by_label("Due date").fill("")
    page.get_by_role("button", name="Assign", exact=True).click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please correct 2 things")
    expect(summary.get_by_role("link", name="Course")).to_be_visible()
    expect(summary.get_by_role("link", name="Due date")).to_be_visible()
    # The choice and the ticked person survive the error; only the people list shows.
    expect(
        page.get_by_role("group", name="Assign to").get_by_label("Selected people")
    ).to_be_checked()
    expect(page.get_by_label(re.compile("^Aisha Bello"))).to_be_checked()
    expect(page.get_by_label(re.compile("^Team"))).to_be_hidden()
    checks.accessible("assign form with errors")
    checks.fits("assign form with errors")
    name = "desktop" if viewport == DESKTOP else "phone"
    checks.screenshot(f"newcomer-assign-errors-{name}")

    page.get_by_label("Course").select_option(label="OKRs for managers")
    due = timezone.localdate() + dt.timedelta(days=14)
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_text("Course assigned.")).to_be_visible()
    assignment = Assignment.objects.for_org(org).get()
    assert [t.membership.user.full_name for t in assignment.targets.all()] == ["Aisha Bello"]


@pytest.mark.django_db(transaction=True)
@VIEWPORTS
def test_the_key_result_chart_reads_dates_units_target_and_pace(
    live_server: Any, page: Any, checks: PageChecks, viewport: dict[str, int]
) -> None:
    seed_people()
    seed_okrs()
    kr = (
        KeyResult.all_orgs.filter(kr_type=KeyResult.KRType.METRIC, objective__cycle__state="active")
        .annotate(n=Count("check_ins"))
        .filter(n__gte=3)
        .select_related("objective", "organisation")
        .order_by("-n", "pk")
        .first()
    )
    assert kr is not None
    page.set_viewport_size(viewport)
    _sign_in(page, live_server.url, "maya.okafor@kestrel.example")
    page.goto(
        f"{live_server.url}/o/{kr.organisation.slug}/okrs/objectives/{kr.objective.public_id}/"
    )
    chart = page.locator(f'svg[aria-labelledby="chart-{kr.public_id}"]')
    expect(chart).to_be_visible()
    expect(chart.locator(".kr-chart__pace")).to_have_count(1)
    expect(chart.locator(".kr-chart__target")).to_have_count(1)
    assert chart.locator("text.kr-chart__tick").count() >= 6  # date and value ticks
    box = chart.bounding_box()
    assert box is not None and box["width"] <= viewport["width"]
    figure = page.locator("figure.kr-chart").filter(has=chart)
    expect(figure.locator("figcaption")).to_contain_text("expected pace")
    figure.get_by_text("Chart data as a table").click()
    expect(figure.get_by_role("columnheader", name="Expected by then")).to_be_visible()
    checks.accessible("objective page with the key result chart")
    checks.fits("objective page with the key result chart")
    chart.scroll_into_view_if_needed()
    name = "desktop" if viewport == DESKTOP else "phone"
    checks.screenshot(f"newcomer-kr-page-{name}")
    chart.screenshot(path=str(SCREENSHOTS / f"newcomer-kr-chart-{name}.png"))
