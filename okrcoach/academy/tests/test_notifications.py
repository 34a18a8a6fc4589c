"""Academy assignments reach people through comms (academy calls comms, never the reverse): a
new assignment, due soon and overdue land in the inbox and by email under the person's own
"academy" switch; deactivated people get nothing; the weekly digest has an "Academy items due"
section (HTML and text) that lists only the reader's own unfinished assignments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from conftest import World
from okrcoach.academy import services
from okrcoach.academy.models import Assignment, Course, Enrollment
from okrcoach.comms import digest
from okrcoach.comms.models import Kind, Notification
from okrcoach.orgs.models import Membership

pytestmark = pytest.mark.django_db


def _academy(person: Membership) -> list[str]:
    return list(
        Notification.objects.for_org(person.organisation)
        .filter(recipient=person, kind=Kind.ACADEMY)
        .order_by("created_at", "pk")
        .values_list("title", flat=True)
    )


def _assign(world: World, course: Course, due: dt.date) -> Assignment:
    return services.assign_course(
        actor=world.admin,
        course=course,
        audience=Assignment.Audience.PEOPLE,
        people=[world.member, world.peer],
        due_on=due,
    )


def test_a_new_assignment_reaches_the_inbox_and_email_under_the_academy_switch(
    world: World, course: Course, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    world.peer.user.notification_preferences = {"academy": False}
    world.peer.user.save()
    due = timezone.localdate() + dt.timedelta(days=20)
    with django_capture_on_commit_callbacks(execute=True):
        _assign(world, course, due)
    expected = f"Course assigned: {course.title} (due {due.day} {due:%B %Y})"
    assert _academy(world.member) == [expected]
    assert _academy(world.peer) == [expected]  # the inbox always shows it
    assert [m.to for m in mailoutbox] == [["max@acme.test"]]  # the switch stops the email
    message = mailoutbox[0]
    assert message.subject == expected
    assert "/o/acme/notifications/" in message.body
    assert "List-Unsubscribe" in message.extra_headers


def test_due_soon_and_overdue_are_notifications_too(world: World, course: Course) -> None:
    assignment = _assign(world, course, timezone.localdate())
    today = timezone.localdate()
    Assignment.objects.for_org(world.org).filter(pk=assignment.pk).update(
        due_on=today + dt.timedelta(days=2)
    )
    assert services.send_assignment_reminders(today=today) == 2
    assert _academy(world.member)[-1] == f"Reminder: {course.title} is due soon"
    Enrollment.objects.filter(membership=world.peer).delete()
    assert services.send_assignment_reminders(today=today + dt.timedelta(days=3)) == 2
    assert _academy(world.member)[-1] == f"Overdue: {course.title}"


def test_deactivated_people_receive_nothing(world: World, course: Course) -> None:
    Membership.objects.for_org(world.org).filter(pk=world.peer.pk).update(is_active=False)
    world.member.user.is_active = False
    world.member.user.save()
    world.peer.refresh_from_db()
    services.assign_course(
        actor=world.admin,
        course=course,
        audience=Assignment.Audience.PEOPLE,
        people=[world.member, world.manager],
        due_on=timezone.localdate() + dt.timedelta(days=2),
    )
    assert _academy(world.member) == []
    assert len(_academy(world.manager)) == 1
    assert services.send_assignment_reminders() == 1  # the manager's due-soon only
    assert _academy(world.member) == []


@override_settings(SITE_URL="https://okr.example.test")
def test_the_digest_lists_academy_items_due_to_their_learner_only(
    world: World, course: Course
) -> None:
    today = timezone.localdate()
    services.assign_course(
        actor=world.admin,
        course=course,
        audience=Assignment.Audience.PEOPLE,
        people=[world.member],
        due_on=today + dt.timedelta(days=4),
    )
    digest.send_weekly_digests(organisation_id=world.org.pk, today=today)
    member = next(m for m in mail.outbox if m.to == ["max@acme.test"])
    html = str(member.alternatives[0][0])
    for text in (str(member.body), html):
        assert "Academy items due" in text
        assert f"Finish “{course.title}”" in text
        assert f"https://okr.example.test/o/acme/academy/courses/{course.slug}/" in text
    assert all(
        "Academy items due" not in str(m.body) for m in mail.outbox if m.to != ["max@acme.test"]
    )
