from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World
from okrcoach.academy import services
from okrcoach.academy.models import (
    ActivityAttempt,
    Assignment,
    Certificate,
    Course,
    Enrollment,
    JournalEntry,
)
from okrcoach.academy.selectors import reports_page, team_completion_rows
from okrcoach.orgs.models import Membership
from okrcoach.orgs.tests.factories import MembershipFactory, TeamFactory

from .factories import QUIZ_RIGHT, activity, add_modules, make_course

pytestmark = pytest.mark.django_db
Login = Callable[[Membership], Client]
HX = {"HTTP_HX_REQUEST": "true"}


def _url(name: str, world: World, *args: Any) -> str:
    return reverse(f"academy:{name}", args=[world.org.slug, *args])


def _activity_url(world: World, course: Course, module: str, slug: str) -> str:
    return _url("activity", world, course.slug, module, slug)


def _relax(world: World) -> None:
    services.update_academy_settings(actor=world.admin, relax_gating=True)


def test_academy_home_shows_courses_progress_assignments_and_refreshers(
    world: World, course: Course, login: Login
) -> None:
    services.assign_course(
        actor=world.admin,
        course=course,
        audience="people",
        people=[world.member],
        due_on=timezone.localdate(),
    )
    services.mark_lesson_read(membership=world.member, activity=activity(course, "lesson"))
    response = login(world.member).get(_url("home", world))
    body = response.content.decode()
    assert response.status_code == 200
    assert course.title in body and "Continue" in body and "Quiz" in body
    assert "Assigned to you" in body and "due" in body


def test_outsiders_get_404_on_academy_pages(world: World, course: Course, login: Login) -> None:
    client = login(world.outsider)
    for url in [
        _url("home", world),
        _url("course", world, course.slug),
        _url("module", world, course.slug, "basics"),
        _activity_url(world, course, "basics", "quiz"),
    ]:
        assert client.get(url).status_code == 404, url


def test_another_organisations_own_course_is_404(world: World, login: Login) -> None:
    theirs = make_course(slug="theirs", organisation=world.other_org)
    assert login(world.admin).get(_url("course", world, theirs.slug)).status_code == 404


def test_course_and_module_pages_show_locked_modules(
    world: World, course: Course, login: Login
) -> None:
    client = login(world.member)
    body = client.get(_url("course", world, course.slug)).content.decode()
    assert "Module basics" in body and "locked" in body
    module = client.get(_url("module", world, course.slug, "practice"))
    assert module.status_code == 200 and "opens when you complete the previous one" in (
        module.content.decode()
    )
    locked = client.get(_activity_url(world, course, "practice", "sort"))
    assert locked.status_code == 403
    posted = client.post(
        _activity_url(world, course, "practice", "sort"), {"item-s1": "objective", "item-s2": "kr"}
    )
    assert posted.status_code == 403
    assert not ActivityAttempt.objects.for_org(world.org).exists()


def test_enrolling_sends_the_learner_to_the_first_activity(
    world: World, course: Course, login: Login
) -> None:
    response = login(world.member).post(_url("enroll", world, course.slug))
    assert response.status_code == 302
    assert response["Location"] == _activity_url(world, course, "basics", "lesson")


def test_a_lesson_renders_and_marking_it_read_moves_on(
    world: World, course: Course, login: Login
) -> None:
    client = login(world.member)
    url = _activity_url(world, course, "basics", "lesson")
    assert "Outcomes, not outputs." in client.get(url).content.decode()
    response = client.post(url)
    assert response["Location"] == _activity_url(world, course, "basics", "quiz")
    htmx = client.post(url, **HX)
    assert htmx["HX-Redirect"] == _activity_url(world, course, "basics", "quiz")


def test_a_quiz_submitted_with_htmx_returns_the_feedback_fragment(
    world: World, course: Course, login: Login
) -> None:
    client = login(world.member)
    url = _activity_url(world, course, "basics", "quiz")
    page = client.get(url).content.decode()
    assert "<fieldset" in page and "<legend>" in page and 'hx-post="' in page
    response = client.post(url, {"q-q1": "1", "q-q2": ["0", "1"]}, **HX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'id="activity-panel"' in body and 'aria-live="polite"' in body
    assert "Passed" in body and "An outcome with baseline and target." in body
    assert "An output." in body  # every choice's explanation, not only the chosen one
    assert "Retake the quiz" in body


def test_a_quiz_posted_without_javascript_redirects_to_its_feedback(
    world: World, course: Course, login: Login
) -> None:
    client = login(world.member)
    url = _activity_url(world, course, "basics", "quiz")
    response = client.post(url, {"q-q1": "0", "q-q2": "2"})
    assert response.status_code == 302 and response["Location"] == url
    body = client.get(url).content.decode()
    assert "Not passed yet" in body
    retake = client.get(url + "?again=1").content.decode()
    assert 'name="q-q1"' in retake


def test_an_unanswered_question_is_named_and_nothing_is_written(
    world: World, course: Course, login: Login
) -> None:
    client = login(world.member)
    response = client.post(_activity_url(world, course, "basics", "quiz"), {"q-q1": "1"}, **HX)
    body = response.content.decode()
    assert response.status_code == 200 and "Question 2: choose an answer." in body
    assert 'id="q-q2-err"' in body and 'value="1" checked' in body
    assert not ActivityAttempt.objects.for_org(world.org).exists()


def test_a_short_reflection_is_refused_beside_its_field(
    world: World, course: Course, login: Login
) -> None:
    response = login(world.member).post(
        _activity_url(world, course, "basics", "reflection"), {"text": "too short"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'id="text-err"' in body and "at least 5 words" in body
    assert 'aria-invalid="true"' in body and "too short" in body
    assert not JournalEntry.objects.for_org(world.org).exists()


@pytest.mark.parametrize(
    ("slug", "data", "expect"),
    [
        ("sort", {"item-s1": "objective", "item-s2": "kr"}, "Qualitative."),
        ("flaws", {"option": ["f1", "f3"]}, "0 points"),
        ("calibration", {"item-c1": "0.7", "item-c2": "0.9"}, "1 of 2 within"),
        ("rewrite", {"text": "Run six onboarding webinars"}, "KR-04-OUTCOME"),
    ],
)
def test_each_activity_type_grades_and_shows_feedback(
    world: World, course: Course, login: Login, slug: str, data: dict, expect: str
) -> None:
    _relax(world)
    client = login(world.member)
    response = client.post(_activity_url(world, course, "practice", slug), data, **HX)
    assert response.status_code == 200 and expect in response.content.decode()
    assert ActivityAttempt.objects.for_org(world.org).count() == 1


@pytest.mark.parametrize(
    ("slug", "data", "field"),
    [
        ("sort", {"item-s1": "objective"}, "item-s2"),
        ("flaws", {}, "option"),
        ("flaws", {"option": "zzz"}, "option"),
        ("calibration", {"item-c1": "2", "item-c2": "0"}, "item-c1"),
        ("rewrite", {"text": "  "}, "text"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    world: World, course: Course, login: Login, slug: str, data: dict, field: str
) -> None:
    _relax(world)
    response = login(world.member).post(_activity_url(world, course, "practice", slug), data, **HX)
    assert response.status_code == 200 and f'id="f-{field}"' in response.content.decode()
    assert f'href="#f-{field}"' in response.content.decode()
    assert not ActivityAttempt.objects.for_org(world.org).exists()


def test_the_sorting_drill_works_with_a_keyboard(
    world: World, course: Course, login: Login
) -> None:
    _relax(world)
    body = login(world.member).get(_activity_url(world, course, "practice", "sort")).content
    assert b'<select name="item-s1" id="item-s1"' in body and b'<label for="item-s1">' in body


def test_a_scenario_walks_node_by_node(world: World, course: Course, login: Login) -> None:
    _relax(world)
    client = login(world.member)
    url = _activity_url(world, course, "practice", "scenario")
    assert "Ana asks." in client.get(url).content.decode()
    step = client.post(url, {"choice": "1"}, **HX).content.decode()
    assert "No." in step and "Then?" in step
    end = client.post(url, {"choice": "0"}, **HX).content.decode()
    assert "Great." in end and "Play again" in end
    bad = client.post(url, {"choice": "x"}, **HX)
    assert 'id="f-choice"' in bad.content.decode()


def test_a_field_assignment_shows_its_progress(world: World, course: Course, login: Login) -> None:
    _relax(world)
    services.record_learning_event(membership=world.member, event="check_in_logged", count=2)
    client = login(world.member)
    url = _activity_url(world, course, "capstone", "field-check-ins")
    assert "2 of 3 recorded" in client.get(url).content.decode()
    assert client.post(url).status_code == 200  # nothing to submit: the page explains it


def test_refreshers_page_asks_and_reschedules(world: World, course: Course, login: Login) -> None:
    m = world.member
    services.mark_lesson_read(membership=m, activity=activity(course, "lesson"))
    services.submit_activity(membership=m, activity=activity(course, "quiz"), answers=QUIZ_RIGHT)
    services.submit_activity(
        membership=m,
        activity=activity(course, "reflection"),
        answers={"text": "one two three four five"},
    )
    from okrcoach.academy.models import RefresherItem

    item = RefresherItem.objects.for_org(world.org).get()
    RefresherItem.objects.for_org(world.org).update(due_on=timezone.localdate())
    client = login(m)
    assert "Which is a key result?" in client.get(_url("refreshers", world)).content.decode()
    body = client.post(_url("refreshers", world), {f"r-{item.pk}": "1"}, **HX).content.decode()
    assert "correct" in body and "Next time" in body
    item.refresh_from_db()
    assert item.interval_days == 14


def _certify(world: World, course: Course) -> Certificate:
    m = world.manager
    _relax(world)
    services.mark_lesson_read(membership=m, activity=activity(course, "lesson"))
    services.submit_activity(membership=m, activity=activity(course, "quiz"), answers=QUIZ_RIGHT)
    services.submit_activity(
        membership=m, activity=activity(course, "final-quiz"), answers=QUIZ_RIGHT
    )
    services.record_learning_event(membership=m, event="check_in_logged", count=3)
    return Certificate.objects.for_org(world.org).get(membership=m)


def test_the_certificate_page_is_for_the_holder_their_managers_and_admins(
    world: World, course: Course, login: Login
) -> None:
    cert = _certify(world, course)
    url = _url("certificate", world, cert.code)
    for viewer in (world.manager, world.executive, world.admin):
        response = login(viewer).get(url)
        assert response.status_code == 200 and world.manager.user.full_name in (
            response.content.decode()
        )
    assert login(world.member).get(url).status_code == 403
    assert login(world.outsider).get(url).status_code == 404


def test_an_admin_revokes_from_the_certificate_page(
    world: World, course: Course, login: Login
) -> None:
    cert = _certify(world, course)
    url = _url("certificate_revoke", world, cert.code)
    assert login(world.manager).post(url, {"reason": "x"}).status_code == 403
    empty = login(world.admin).post(url, {"reason": ""})
    assert empty.status_code == 200 and "errorlist" in empty.content.decode()
    assert login(world.admin).post(url, {"reason": "Plagiarism"}).status_code == 302
    cert.refresh_from_db()
    assert cert.status == "revoked"


def test_the_public_verification_page_needs_no_sign_in(world: World, course: Course) -> None:
    cert = _certify(world, course)
    client = Client()
    body = client.get(reverse("academy:verify", args=[cert.code])).content.decode()
    assert "Mia Manager" in body and course.title in body and "valid" in body
    assert "mia@acme.test" not in body and "Acme" not in body
    Certificate.objects.for_org(world.org).filter(pk=cert.pk).update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    assert "expired" in client.get(reverse("academy:verify", args=[cert.code])).content.decode()
    services.revoke_certificate(actor=world.admin, certificate=cert, reason="x")
    assert "revoked" in client.get(reverse("academy:verify", args=[cert.code])).content.decode()
    assert client.get(reverse("academy:verify", args=["NOPE"])).status_code == 404


def test_admins_assign_a_course_and_members_cannot(
    world: World, course: Course, login: Login
) -> None:
    url = _url("assign", world)
    assert login(world.member).get(url).status_code == 403
    assert login(world.admin).get(url).status_code == 200
    due = (timezone.localdate() + dt.timedelta(days=9)).isoformat()
    response = login(world.admin).post(
        url,
        {
            "course": course.slug,
            "audience": "team",
            "team": str(world.team.public_id),
            "due_on": due,
        },
    )
    assert response.status_code == 302
    assert Assignment.objects.for_org(world.org).get().targets.count() == 3


def test_a_bad_assignment_form_names_the_field(world: World, course: Course, login: Login) -> None:
    due = (timezone.localdate() + dt.timedelta(days=9)).isoformat()
    response = login(world.admin).post(
        _url("assign", world), {"course": course.slug, "audience": "people", "due_on": due}
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'id="id_people_error"' in body
    assert not Assignment.objects.for_org(world.org).exists()
    outsider_person = login(world.admin).post(
        _url("assign", world),
        {
            "course": course.slug,
            "audience": "people",
            "due_on": due,
            "people": str(world.outsider.public_id),
        },
    )
    assert outsider_person.status_code == 200 and not Assignment.objects.for_org(world.org).exists()


def test_assignments_list_admins_see_all_managers_their_subtree(
    world: World, course: Course, login: Login
) -> None:
    services.assign_course(
        actor=world.admin,
        course=course,
        audience="people",
        people=[world.member, world.admin],
        due_on=timezone.localdate(),
    )
    Assignment.objects.for_org(world.org).update(due_on=timezone.localdate() - dt.timedelta(1))
    url = _url("assignments", world)
    admin_body = login(world.admin).get(url).content.decode()
    assert "Max Member" in admin_body and "Ada Admin" in admin_body and "overdue" in admin_body
    manager_body = login(world.manager).get(url).content.decode()
    assert "Max Member" in manager_body and "Ada Admin" not in manager_body
    assert login(world.member).get(url).status_code == 403


def test_reports_and_csv_are_for_admins_and_executives(
    world: World, course: Course, login: Login
) -> None:
    services.submit_activity(
        membership=world.member, activity=activity(course, "quiz"), answers=QUIZ_RIGHT
    )
    services.submit_activity(
        membership=world.peer, activity=activity(course, "quiz"), answers={"q1": [0], "q2": [0, 1]}
    )
    assert login(world.member).get(_url("reports", world)).status_code == 403
    assert login(world.manager).get(_url("reports", world)).status_code == 403
    assert login(world.executive).get(_url("reports", world)).status_code == 200
    executive_csv = login(world.executive).get(
        _url("reports_csv", world) + f"?course={course.slug}"
    )
    assert executive_csv.status_code == 200
    body = login(world.admin).get(_url("reports", world)).content.decode()
    assert "Item analysis" in body and "Which is a key result?" in body and "Support" in body
    assert "50%" in body  # q1: one of two learners right
    csv = login(world.admin).get(_url("reports_csv", world) + f"?course={course.slug}")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("name,email,team") and any("Max Member" in li for li in lines)


def test_training_record_is_visible_to_the_person_their_managers_and_admins(
    world: World, course: Course, login: Login
) -> None:
    services.mark_lesson_read(membership=world.member, activity=activity(course, "lesson"))
    url = _url("training_record", world, world.member.public_id)
    for viewer in (world.member, world.manager, world.executive, world.admin):
        assert login(viewer).get(url).status_code == 200
    assert login(world.peer).get(url).status_code == 403
    assert login(world.outsider).get(url).status_code == 404


def test_settings_page_relaxes_gating(world: World, course: Course, login: Login) -> None:
    url = _url("settings", world)
    assert login(world.member).get(url).status_code == 403
    assert login(world.admin).post(url, {"relax_gating": "on"}).status_code == 302
    assert (
        login(world.member).get(_activity_url(world, course, "practice", "sort")).status_code == 200
    )


def _grow(world: World, course: Course, extra_modules: int, progress: bool) -> None:
    add_modules(course, extra_modules)
    services.enroll(membership=world.member, course=course)
    if progress:
        _relax(world)
        for module in course.modules.filter(slug__startswith="extra-"):
            services.mark_lesson_read(
                membership=world.member, activity=module.activities.get(slug="lesson")
            )


# membership (with user; the session from the cache); courses, modules, activities,
# enrollments, progress, module completions, certificates, gating setting; (home) assignment
# targets, refreshers due, journal. (A member of one organisation: no switcher query.)
HOME_QUERIES = 12
MODULE_QUERIES = 9


@pytest.mark.parametrize(("extra", "progress"), [(0, False), (10, True)])
def test_academy_home_runs_a_fixed_number_of_queries(
    world: World, course: Course, login: Login, assert_queries: Any, extra: int, progress: bool
) -> None:
    _grow(world, course, extra, progress)
    services.assign_course(
        actor=world.admin,
        course=course,
        audience="people",
        people=[world.member],
        due_on=timezone.localdate(),
    )
    client = login(world.member)
    client.get(_url("home", world))
    with assert_queries(HOME_QUERIES):
        assert client.get(_url("home", world)).status_code == 200


@pytest.mark.parametrize(("extra", "progress"), [(0, False), (10, True)])
def test_the_module_page_runs_a_fixed_number_of_queries(
    world: World, course: Course, login: Login, assert_queries: Any, extra: int, progress: bool
) -> None:
    _grow(world, course, extra, progress)
    client = login(world.member)
    url = _url("module", world, course.slug, "basics")
    client.get(url)
    with assert_queries(MODULE_QUERIES):
        assert client.get(url).status_code == 200


def test_every_activity_of_the_shipped_course_renders(world: World, login: Login) -> None:
    from django.core.management import call_command

    from okrcoach.academy.models import Activity

    call_command("load_academy")
    _relax(world)
    client = login(world.member)
    activities = Activity.objects.filter(
        module__course__slug="manager-okr-course", is_active=True
    ).select_related("module__course")
    assert activities.count() > 60
    for a in activities:
        url = _activity_url(world, a.module.course, a.module.slug, a.slug)
        assert client.get(url).status_code == 200, url


def test_team_report_rows_count_every_sub_team(world: World, course: Course) -> None:
    child = TeamFactory(organisation=world.org, name="Support North", parent=world.team)
    grandchild = TeamFactory(organisation=world.org, name="Night shift", parent=child)
    deep = MembershipFactory(organisation=world.org, team=grandchild)
    services.enroll(membership=deep, course=course)
    rows = {r.team.name: r for r in reports_page(world.org, course).teams}
    direct = Membership.objects.for_org(world.org).filter(team=world.team, is_active=True).count()
    assert (rows["Night shift"].people, rows["Night shift"].enrolled) == (1, 1)
    assert (rows["Support North"].people, rows["Support North"].enrolled) == (1, 1)
    assert rows["Support"].people == direct + 1 and rows["Support"].enrolled >= 1
    assert rows["Night shift"].depth == rows["Support"].depth + 2


@pytest.mark.parametrize("size", [2, 20])
def test_team_report_rows_take_two_queries_whatever_the_tree_size(
    world: World, course: Course, size: int, django_assert_num_queries: Any
) -> None:
    parent: Any = world.team
    for n in range(size):
        parent = TeamFactory(organisation=world.org, name=f"Level {n}", parent=parent)
        MembershipFactory(organisation=world.org, team=parent)
    enrollments = Enrollment.objects.for_org(world.org).filter(course=course)
    certs = Certificate.objects.for_org(world.org).filter(course=course)
    with django_assert_num_queries(2):
        rows = team_completion_rows(world.org, enrollments, certs)
    assert rows[0].people >= size
