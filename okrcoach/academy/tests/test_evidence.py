"""Field assignments complete from the learner's real work in the OKR app."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from conftest import World
from okrcoach.academy import services
from okrcoach.academy.loader import load_courses
from okrcoach.academy.models import ActivityProgress, Course, LearningEventCount
from okrcoach.okrs.services import grading as grading_services
from okrcoach.okrs.services.check_ins import CheckInData, record_check_in
from okrcoach.okrs.tests.factories import CycleFactory, KeyResultFactory, ObjectiveFactory


@pytest.fixture
def course(db: None) -> Course:
    load_courses()
    return Course.objects.get(slug="manager-okr-course")


def _log_check_ins(world: World, n: int) -> None:
    cycle = CycleFactory(organisation=world.org, state="active")
    objective = ObjectiveFactory(cycle=cycle, owner=world.manager, team=world.team)
    kr = KeyResultFactory(objective=objective, owner=world.manager)
    for i in range(n):
        record_check_in(
            actor=world.manager,
            key_result=kr,
            data=CheckInData(confidence=6, value=Decimal(10 + i)),
        )


@pytest.mark.django_db
def test_three_real_check_ins_complete_the_check_in_field_assignment(
    world: World, course: Course
) -> None:
    services.enroll(membership=world.manager, course=course)
    _log_check_ins(world, 3)
    counts = services.sync_product_evidence(membership=world.manager)
    assert counts["check_in_logged"] == 3
    done = ActivityProgress.objects.for_org(world.org).filter(
        enrollment__membership=world.manager,
        activity__type="field_assignment",
        activity__spec__event="check_in_logged",
        passed=True,
    )
    assert done.exists()


@pytest.mark.django_db
def test_syncing_twice_changes_nothing_and_never_lowers_a_count(
    world: World, course: Course
) -> None:
    services.enroll(membership=world.manager, course=course)
    services.record_learning_event(membership=world.manager, event="check_in_logged", count=5)
    _log_check_ins(world, 2)
    services.sync_product_evidence(membership=world.manager)
    services.sync_product_evidence(membership=world.manager)
    stored = LearningEventCount.objects.for_org(world.org).get(
        membership=world.manager, event="check_in_logged"
    )
    assert stored.count == 5


@pytest.mark.django_db
def test_another_persons_check_ins_do_not_count_for_me(world: World, course: Course) -> None:
    services.enroll(membership=world.member, course=course)
    _log_check_ins(world, 3)  # by the manager
    counts = services.sync_product_evidence(membership=world.member)
    assert counts.get("check_in_logged", 0) == 0


@pytest.mark.django_db
def test_the_nightly_command_brings_every_learner_up_to_date(world: World, course: Course) -> None:
    services.enroll(membership=world.manager, course=course)
    _log_check_ins(world, 3)
    call_command("send_academy_reminders", verbosity=0)
    assert (
        LearningEventCount.objects.for_org(world.org)
        .get(membership=world.manager, event="check_in_logged")
        .count
        == 3
    )


@pytest.mark.django_db
def test_opening_the_field_assignment_shows_the_real_count(world: World, course: Course) -> None:
    from okrcoach.academy.models import Activity

    services.enroll(membership=world.manager, course=course)
    _log_check_ins(world, 2)
    activity = (
        Activity.objects.filter(
            module__course=course, type="field_assignment", spec__event="check_in_logged"
        )
        .select_related("module")
        .first()
    )
    client = Client()
    client.force_login(world.manager.user)
    url = (
        f"/o/{world.org.slug}/academy/courses/{course.slug}/{activity.module.slug}/{activity.slug}/"
    )
    response = client.get(url)
    assert response.status_code in (200, 403)  # 403 when the module is still locked
    assert (
        LearningEventCount.objects.for_org(world.org)
        .get(membership=world.manager, event="check_in_logged")
        .count
        == 2
    )


@pytest.mark.django_db
def test_a_grade_given_through_the_okr_service_counts_as_evidence(world: World) -> None:
    from okrcoach.academy.evidence import product_event_counts

    cycle = CycleFactory(organisation=world.org, state="grading")
    objective = ObjectiveFactory(cycle=cycle, owner=world.manager, team=world.team)
    kr = KeyResultFactory(objective=objective, owner=world.manager)
    assert product_event_counts(world.manager)["grade_recorded"] == 0
    grading_services.grade_key_result(actor=world.manager, key_result=kr)
    assert product_event_counts(world.manager)["grade_recorded"] == 1
