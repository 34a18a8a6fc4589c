"""Spaced refreshers land around each cycle's planning week, and learners with questions due
get one email a day."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from conftest import World
from okrcoach.academy import planning, services
from okrcoach.academy.models import Course, RefresherItem, RefresherNotice
from okrcoach.academy.tasks import send_refresher_reminders
from okrcoach.okrs.models import Cycle
from okrcoach.orgs.models import Organisation

from .factories import QUIZ_RIGHT, activity

D = dt.date


def _org(length: int, start_month: int) -> Organisation:
    return Organisation(
        name="X", slug="x", cycle_length_months=length, cycle_start_month=start_month
    )


@pytest.mark.django_db
def test_planning_weeks_follow_the_organisations_cycle_settings_without_okr_cycles() -> None:
    org = Organisation.objects.create(
        name="X", slug="x", cycle_length_months=3, cycle_start_month=2
    )
    weeks = planning.planning_weeks(org, D(2026, 3, 10), D(2026, 12, 31))
    assert weeks == [D(2026, 4, 24), D(2026, 7, 25), D(2026, 10, 25)]


def test_planning_weeks_of_an_annual_cycle_cross_the_year() -> None:
    assert planning._settings_cycle_starts(_org(12, 1), D(2026, 11, 1), D(2027, 3, 1)) == [
        D(2027, 1, 1)
    ]


@pytest.mark.django_db
def test_planning_weeks_come_from_the_okr_cycles_when_there_are_some(world: World) -> None:
    Cycle.objects.create(
        organisation=world.org, name="Odd", starts_on=D(2026, 5, 20), ends_on=D(2026, 8, 19)
    )
    Cycle.objects.create(
        organisation=world.other_org, name="Theirs", starts_on=D(2026, 6, 1), ends_on=D(2026, 9, 1)
    )
    assert planning.planning_weeks(world.org, D(2026, 4, 1), D(2026, 9, 1)) == [D(2026, 5, 13)]


@pytest.mark.parametrize(
    ("interval", "weeks", "expected"),
    [
        (7, [], D(2026, 3, 8)),  # no planning week: the natural date
        (7, [D(2026, 3, 20)], D(2026, 3, 20)),  # 12 days after the natural date: moved there
        (7, [D(2026, 3, 30)], D(2026, 3, 8)),  # too far from the natural date: stays
        (28, [D(2026, 3, 10), D(2026, 3, 24)], D(2026, 3, 24)),  # the nearest of two
        (7, [D(2026, 3, 2)], D(2026, 3, 8)),  # never sooner than three days from today
    ],
)
def test_a_refresher_moves_to_a_planning_week_near_its_natural_date(
    interval: int, weeks: list[D], expected: D
) -> None:
    assert planning.refresher_due_on(D(2026, 3, 1), interval, weeks) == expected


def _finish_basics(world: World, course: Course) -> None:
    m = world.manager
    services.mark_lesson_read(membership=m, activity=activity(course, "lesson"))
    services.submit_activity(membership=m, activity=activity(course, "quiz"), answers=QUIZ_RIGHT)
    services.submit_activity(
        membership=m,
        activity=activity(course, "reflection"),
        answers={"text": "Targets tied to pay would kill honesty."},
    )


def _cycle_starting_in(world: World, days: int) -> None:
    starts = timezone.localdate() + dt.timedelta(days=days)
    Cycle.objects.create(
        organisation=world.org,
        name="Next",
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=90),
    )


@pytest.mark.django_db
def test_finishing_a_module_schedules_its_refreshers_in_the_coming_planning_week(
    world: World, course: Course
) -> None:
    _cycle_starting_in(world, 17)  # planning week starts in 10 days
    _finish_basics(world, course)
    item = RefresherItem.objects.for_org(world.org).get(membership=world.manager)
    assert item.due_on == timezone.localdate() + dt.timedelta(days=10)


@pytest.mark.django_db
def test_a_right_answer_doubles_the_interval_and_lands_in_a_nearby_planning_week(
    world: World, course: Course
) -> None:
    _cycle_starting_in(world, 200)  # nowhere near: plain intervals
    # No OKR cycle starts within reach, so the organisation's cycle settings predict the next
    # starts: yearly, six months from now, whatever today's date (quarterly settings put a
    # planning week within reach of the first refresher on about one day in five).
    world.org.cycle_length_months = 12
    world.org.cycle_start_month = (timezone.localdate().month + 5) % 12 + 1
    world.org.save(update_fields=["cycle_length_months", "cycle_start_month"])
    _finish_basics(world, course)
    item = RefresherItem.objects.for_org(world.org).get(membership=world.manager)
    assert item.due_on == timezone.localdate() + dt.timedelta(days=7)
    _cycle_starting_in_name(world, 25, "Soon")  # planning week in 18 days, natural date in 14
    services.answer_refreshers(membership=world.manager, answers={item.pk: [1]})
    item.refresh_from_db()
    assert item.interval_days == 14
    assert item.due_on == timezone.localdate() + dt.timedelta(days=18)


def _cycle_starting_in_name(world: World, days: int, name: str) -> None:
    starts = timezone.localdate() + dt.timedelta(days=days)
    Cycle.objects.create(
        organisation=world.org, name=name, starts_on=starts, ends_on=starts + dt.timedelta(days=90)
    )


@pytest.mark.django_db
def test_learners_with_refreshers_due_get_one_email_a_day(
    world: World, course: Course, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    _finish_basics(world, course)
    today = timezone.localdate()
    RefresherItem.objects.for_org(world.org).update(due_on=today)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_refresher_reminders.call(today=today.isoformat()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_refresher_reminders.call(today=today.isoformat()) == 0
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [world.manager.user.email]
    assert mail.subject == "Refreshers are waiting in the academy"
    assert "1 refresher question is waiting" in mail.body and "/academy/refreshers/" in mail.body
    notice = RefresherNotice.objects.for_org(world.org).get()
    assert (notice.membership, notice.questions) == (world.manager, 1)
    tomorrow = today + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_refresher_reminders.call(today=tomorrow.isoformat()) == 1


@pytest.mark.django_db
def test_nobody_is_emailed_when_no_refresher_is_due(
    world: World, course: Course, mailoutbox: list[Any]
) -> None:
    _finish_basics(world, course)  # due in a week or so
    assert send_refresher_reminders.call(today=timezone.localdate().isoformat()) == 0
    assert not mailoutbox and not RefresherNotice.objects.exists()


def test_the_okrs_app_never_imports_the_academy() -> None:
    # The academy comes after okrs in the import order and reads the OKR models directly; the
    # reverse direction is refused here and by the layers contract (lint-imports).
    root = Path(__file__).resolve().parents[2] / "okrs"
    checked = 0
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        source = path.read_text()
        assert not re.search(r"^\s*(from|import)\s+okrcoach\.academy", source, re.M), path
        checked += 1
    assert checked > 10
