from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import World
from okrcoach.academy import services
from okrcoach.academy.models import Assignment, Course, Enrollment, ReminderSent
from okrcoach.academy.tasks import send_academy_reminders

pytestmark = pytest.mark.django_db


def _assign(world: World, course: Course, due: dt.date) -> Assignment:
    assignment = services.assign_course(
        actor=world.admin,
        course=course,
        audience="people",
        people=[world.member, world.peer],
        due_on=timezone.localdate(),
    )
    Assignment.objects.for_org(world.org).filter(pk=assignment.pk).update(due_on=due)
    return assignment


def test_reminders_go_once_per_target_kind_and_day(
    world: World, course: Course, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    today = timezone.localdate()
    _assign(world, course, today + dt.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_academy_reminders.call(today=today.isoformat()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert send_academy_reminders.call(today=today.isoformat()) == 0
        assert (
            send_academy_reminders.call(today=(today + dt.timedelta(days=1)).isoformat()) == 0
        )  # due-soon goes once
    assert len(mailoutbox) == 2 and "due soon" in mailoutbox[0].subject
    assert ReminderSent.objects.for_org(world.org).count() == 2


def test_overdue_reminders_repeat_weekly_and_stop_when_the_course_is_done(
    world: World, course: Course, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    today = timezone.localdate()
    _assign(world, course, today - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_academy_reminders.call(today=today.isoformat()) == 2
        assert send_academy_reminders.call(today=(today + dt.timedelta(days=3)).isoformat()) == 0
        Enrollment.objects.create(
            organisation=world.org,
            membership=world.peer,
            course=course,
            completed_at=timezone.now(),
        )
        assert send_academy_reminders.call(today=(today + dt.timedelta(days=7)).isoformat()) == 1
    assert [m.to for m in mailoutbox].count(["pat@acme.test"]) == 1
    assert all("Overdue" in m.subject for m in mailoutbox)


def test_enqueueing_the_task_runs_it_and_the_command_is_idempotent(
    world: World, course: Course, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    today = timezone.localdate()
    _assign(world, course, today)
    with django_capture_on_commit_callbacks(execute=True):
        result = send_academy_reminders.enqueue(today=today.isoformat())
        assert result.return_value == 2
        call_command("send_academy_reminders", today=today.isoformat())
    assert len(mailoutbox) == 2


def test_no_reminder_far_from_the_due_date(world: World, course: Course) -> None:
    _assign(world, course, timezone.localdate() + dt.timedelta(days=30))
    assert send_academy_reminders.call() == 0
