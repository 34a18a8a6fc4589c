from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import World
from okrcoach.academy import services
from okrcoach.academy.models import (
    ActivityAttempt,
    ActivityProgress,
    Assignment,
    AssignmentTarget,
    Certificate,
    Course,
    JournalEntry,
    ModuleCompletion,
    RefresherItem,
)
from okrcoach.core.models import AuditEvent
from okrcoach.orgs.models import Organisation

from .factories import QUIZ_RIGHT, activity, make_course

pytestmark = pytest.mark.django_db


def _finish_basics(world: World, course: Course) -> None:
    m = world.manager
    services.mark_lesson_read(membership=m, activity=activity(course, "lesson"))
    services.submit_activity(membership=m, activity=activity(course, "quiz"), answers=QUIZ_RIGHT)
    services.submit_activity(
        membership=m,
        activity=activity(course, "reflection"),
        answers={"text": "Targets tied to pay would kill honesty."},
    )


def test_a_passed_quiz_completes_the_activity_and_a_failed_one_does_not(
    world: World, course: Course
) -> None:
    quiz = activity(course, "quiz")
    failed = services.submit_activity(
        membership=world.member, activity=quiz, answers={"q1": [0], "q2": [2]}
    )
    progress = ActivityProgress.objects.for_org(world.org).get(activity=quiz)
    assert not failed.passed and progress.completed_at is None and progress.attempts == 1
    services.submit_activity(membership=world.member, activity=quiz, answers=QUIZ_RIGHT)
    progress.refresh_from_db()
    assert progress.completed_at is not None and progress.best_score == 100.0
    assert progress.attempts == 2


def test_the_next_module_opens_only_when_the_previous_is_complete(
    world: World, course: Course
) -> None:
    sort = activity(course, "sort")
    with pytest.raises(ValidationError) as exc:
        services.submit_activity(
            membership=world.manager, activity=sort, answers={"s1": "objective", "s2": "kr"}
        )
    assert "activity" in exc.value.message_dict
    assert not ActivityAttempt.objects.for_org(world.org).exists()
    _finish_basics(world, course)
    assert ModuleCompletion.objects.for_org(world.org).filter(module__slug="basics").exists()
    services.submit_activity(
        membership=world.manager, activity=sort, answers={"s1": "objective", "s2": "kr"}
    )


def test_an_admin_can_relax_gating_for_the_organisation(world: World, course: Course) -> None:
    services.update_academy_settings(actor=world.admin, relax_gating=True)
    services.submit_activity(
        membership=world.member,
        activity=activity(course, "sort"),
        answers={"s1": "objective", "s2": "kr"},
    )
    with pytest.raises(ValidationError):
        services.update_academy_settings(actor=world.member, relax_gating=False)


def test_a_short_reflection_is_refused_and_nothing_is_written(world: World, course: Course) -> None:
    with pytest.raises(ValidationError) as exc:
        services.submit_activity(
            membership=world.member,
            activity=activity(course, "reflection"),
            answers={"text": "too short"},
        )
    assert "text" in exc.value.message_dict
    assert not JournalEntry.objects.for_org(world.org).exists()
    assert not ActivityAttempt.objects.for_org(world.org).exists()


def test_a_reflection_goes_into_the_journal(world: World, course: Course) -> None:
    services.submit_activity(
        membership=world.member,
        activity=activity(course, "reflection"),
        answers={"text": "one two three four five six"},
    )
    entry = JournalEntry.objects.for_org(world.org).get()
    assert entry.word_count == 6 and entry.membership == world.member


def test_a_rewrite_is_scored_by_the_coach(world: World, course: Course) -> None:
    services.update_academy_settings(actor=world.admin, relax_gating=True)
    rewrite = activity(course, "rewrite")
    bad = services.submit_activity(
        membership=world.member, activity=rewrite, answers={"text": "Run six onboarding webinars"}
    )
    assert not bad.passed
    assert any(
        f["rule"] == "KR-04-OUTCOME" and f["question"] and f["severity"] == "blocking"
        for f in bad.result["findings"]
    )
    good = services.submit_activity(
        membership=world.member,
        activity=rewrite,
        answers={"text": "Clinics that book a first patient within 7 days rise from 30% to 55%"},
    )
    assert good.passed, good.result


def test_a_scenario_keeps_its_walk_in_one_attempt(world: World, course: Course) -> None:
    services.update_academy_settings(actor=world.admin, relax_gating=True)
    scenario = activity(course, "scenario")
    first = services.choose_scenario_option(membership=world.member, activity=scenario, choice=0)
    assert not first.is_finished and first.state["node"] == "n2"
    second = services.choose_scenario_option(membership=world.member, activity=scenario, choice=0)
    assert second.pk == first.pk and second.is_finished and second.score == 100.0
    third = services.choose_scenario_option(membership=world.member, activity=scenario, choice=1)
    assert third.pk != first.pk  # a finished walk starts a new attempt
    with pytest.raises(ValidationError) as exc:
        services.choose_scenario_option(membership=world.member, activity=scenario, choice=9)
    assert "choice" in exc.value.message_dict


def test_learning_events_complete_field_assignments(world: World, course: Course) -> None:
    field = activity(course, "field-check-ins")
    services.enroll(membership=world.manager, course=course)
    assert services.record_learning_event(membership=world.manager, event="check_in_logged") == 1
    progress = ActivityProgress.objects.for_org(world.org).get(activity=field)
    assert progress.completed_at is None and progress.best_score == pytest.approx(33.3)
    services.record_learning_event(membership=world.manager, event="check_in_logged", count=2)
    progress.refresh_from_db()
    assert progress.completed_at is not None


def test_events_recorded_before_enrolling_count(world: World, course: Course) -> None:
    services.record_learning_event(membership=world.member, event="check_in_logged", count=3)
    services.enroll(membership=world.member, course=course)
    assert (
        ActivityProgress.objects.for_org(world.org)
        .get(activity=activity(course, "field-check-ins"))
        .completed_at
        is not None
    )


def test_an_unknown_learning_event_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.record_learning_event(membership=world.member, event="nonsense")
    assert "event" in exc.value.message_dict


def _complete_course(world: World, course: Course, quiz_answers: dict) -> None:
    m = world.manager
    services.update_academy_settings(actor=world.admin, relax_gating=True)
    _finish_basics(world, course)
    services.submit_activity(
        membership=m, activity=activity(course, "final-quiz"), answers=quiz_answers
    )
    services.record_learning_event(membership=m, event="check_in_logged", count=3)


def test_a_certificate_is_issued_when_the_capstone_is_met(world: World, course: Course) -> None:
    _complete_course(world, course, QUIZ_RIGHT)
    cert = Certificate.objects.for_org(world.org).get(membership=world.manager)
    assert cert.is_valid and cert.quiz_average == 100.0
    assert (cert.expires_at - cert.issued_at).days == course.validity_days
    assert (
        AuditEvent.objects.for_org(world.org).filter(action="academy.certificate.issued").exists()
    )


def test_no_certificate_below_the_quiz_average(world: World, course: Course) -> None:
    course.min_quiz_average = 90
    course.save()
    _complete_course(world, course, {"q1": [1], "q2": [0]})  # final quiz 50%: passes, avg 75
    assert not Certificate.objects.for_org(world.org).exists()


def test_an_admin_revokes_a_certificate_with_an_audit_row(world: World, course: Course) -> None:
    _complete_course(world, course, QUIZ_RIGHT)
    cert = Certificate.objects.for_org(world.org).get()
    with pytest.raises(ValidationError):
        services.revoke_certificate(actor=world.manager, certificate=cert, reason="x")
    with pytest.raises(ValidationError) as exc:
        services.revoke_certificate(actor=world.admin, certificate=cert, reason=" ")
    assert "reason" in exc.value.message_dict
    services.revoke_certificate(actor=world.admin, certificate=cert, reason="Copied work")
    cert.refresh_from_db()
    assert cert.status == "revoked" and cert.revoked_by == world.admin
    assert (
        AuditEvent.objects.for_org(world.org).filter(action="academy.certificate.revoked").count()
        == 1
    )
    with pytest.raises(PermissionDenied):
        services.revoke_certificate(actor=world.outsider, certificate=cert, reason="x")


def test_assigning_to_all_managers_targets_people_with_reports(
    world: World, course: Course, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    due = timezone.localdate() + dt.timedelta(days=20)
    with django_capture_on_commit_callbacks(execute=True):
        assignment = services.assign_course(
            actor=world.admin, course=course, audience=Assignment.Audience.MANAGERS, due_on=due
        )
    people = set(
        AssignmentTarget.objects.for_org(world.org)
        .filter(assignment=assignment)
        .values_list("membership_id", flat=True)
    )
    assert people == {world.manager.pk, world.executive.pk}
    assert len(mailoutbox) == 2 and course.title in mailoutbox[0].subject


def test_assigning_to_a_team_and_to_people(world: World, course: Course) -> None:
    due = timezone.localdate() + dt.timedelta(days=5)
    team = services.assign_course(
        actor=world.admin, course=course, audience="team", team=world.team, due_on=due
    )
    assert team.targets.count() == 3
    one = services.assign_course(
        actor=world.admin, course=course, audience="people", people=[world.member], due_on=due
    )
    assert [t.membership for t in one.targets.all()] == [world.member]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"audience": "people"}, "people"),
        ({"audience": "team"}, "team"),
        ({"audience": "people", "days": -1}, "due_on"),
    ],
)
def test_a_bad_assignment_names_the_field_and_writes_nothing(
    world: World, course: Course, kwargs: dict, field: str
) -> None:
    days = kwargs.pop("days", 3)
    with pytest.raises(ValidationError) as exc:
        services.assign_course(
            actor=world.admin,
            course=course,
            due_on=timezone.localdate() + dt.timedelta(days=days),
            **kwargs,
        )
    assert field in exc.value.message_dict
    assert not Assignment.objects.for_org(world.org).exists()


def test_nobody_assigns_across_organisations_or_another_orgs_course(world: World) -> None:
    theirs = make_course(slug="theirs", organisation=world.other_org)
    due = timezone.localdate() + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as exc:
        services.assign_course(actor=world.admin, course=theirs, audience="managers", due_on=due)
    assert "course" in exc.value.message_dict
    mine = make_course(slug="mine")
    with pytest.raises(PermissionDenied):
        services.assign_course(
            actor=world.admin, course=mine, audience="people", people=[world.outsider], due_on=due
        )


def test_completing_a_module_schedules_refreshers_that_space_out(
    world: World, course: Course
) -> None:
    # An annual cycle starting two to three months out: no planning week near these dates.
    far = timezone.localdate() + dt.timedelta(days=90)
    Organisation.objects.filter(pk=world.org.pk).update(
        cycle_length_months=12, cycle_start_month=far.month
    )
    world.manager.organisation.refresh_from_db()
    _finish_basics(world, course)
    item = RefresherItem.objects.for_org(world.org).get(membership=world.manager)
    assert item.question_id == "q1" and item.interval_days == 7
    assert item.due_on == timezone.localdate() + dt.timedelta(days=7)
    feedback = services.answer_refreshers(membership=world.manager, answers={item.pk: [1]})
    item.refresh_from_db()
    assert feedback[0]["correct"] and item.interval_days == 14 and item.correct_streak == 1
    services.answer_refreshers(membership=world.manager, answers={item.pk: [0]})
    item.refresh_from_db()
    assert item.interval_days == 7 and item.correct_streak == 0


def test_finishing_every_module_completes_the_enrollment(world: World, course: Course) -> None:
    _complete_course(world, course, QUIZ_RIGHT)
    m = world.manager
    for slug, answers in [
        ("sort", {"s1": "objective", "s2": "kr"}),
        ("flaws", {"options": ["f1", "f2"]}),
        ("calibration", {"c1": 0.6, "c2": 0.2}),
    ]:
        services.submit_activity(membership=m, activity=activity(course, slug), answers=answers)
    services.submit_activity(
        membership=m,
        activity=activity(course, "rewrite"),
        answers={"text": "Clinics that book a first patient within 7 days rise from 30% to 55%"},
    )
    for _ in range(2):
        services.choose_scenario_option(
            membership=m, activity=activity(course, "scenario"), choice=0
        )
    enrollment = m.academy_enrollments.get()
    assert enrollment.completed_at is not None
