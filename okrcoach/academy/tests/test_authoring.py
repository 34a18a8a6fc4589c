"""Admins author their organisation's own courses, modules and Markdown lessons in the UI."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World
from okrcoach.academy import authoring
from okrcoach.academy.models import Activity, Course, Module
from okrcoach.orgs.models import Membership

pytestmark = pytest.mark.django_db
Login = Callable[[Membership], Client]


def _url(name: str, world: World, *args: Any) -> str:
    return reverse(f"academy:{name}", args=[world.org.slug, *args])


def _own_course(world: World, title: str = "Our planning rules") -> Course:
    return authoring.create_course(actor=world.admin, title=title, summary="How we plan.")


def _module(world: World, course: Course, title: str = "Before planning week") -> Module:
    return authoring.add_module(actor=world.admin, course=course, title=title)


# Courses


def test_admin_creates_a_course_owned_by_their_organisation(world: World, login: Login) -> None:
    response = login(world.admin).post(
        _url("author_courses", world), {"title": "Our planning rules", "summary": "How we plan."}
    )
    course = Course.objects.get(organisation=world.org)
    assert response.status_code == 302
    assert response["Location"] == _url("author_course", world, course.public_id)
    assert (course.slug, course.title, course.summary) == (
        "our-planning-rules",
        "Our planning rules",
        "How we plan.",
    )


def test_an_authored_course_is_visible_to_its_organisation_only(world: World, login: Login) -> None:
    course = _own_course(world)
    _module(world, course)
    assert course.title in login(world.member).get(_url("home", world)).content.decode()
    assert login(world.member).get(_url("course", world, course.slug)).status_code == 200
    other_home = reverse("academy:home", args=[world.other_org.slug])
    assert course.title not in login(world.outsider).get(other_home).content.decode()
    other_course = reverse("academy:course", args=[world.other_org.slug, course.slug])
    assert login(world.outsider).get(other_course).status_code == 404


def test_an_authored_course_never_takes_a_shipped_courses_slug(world: World) -> None:
    Course.objects.create(slug="our-planning-rules", title="Shipped")
    assert _own_course(world).slug == "our-planning-rules-2"


def test_a_course_without_a_title_names_the_field_and_writes_nothing(
    world: World, login: Login
) -> None:
    response = login(world.admin).post(_url("author_courses", world), {"title": "  "})
    assert response.status_code == 200
    assert 'id="id_title_error"' in response.content.decode()
    assert not Course.objects.filter(organisation=world.org).exists()


def test_members_without_the_admin_role_get_403_on_authoring(world: World, login: Login) -> None:
    course = _own_course(world)
    _module(world, course)
    client = login(world.manager)
    assert client.get(_url("author_courses", world)).status_code == 403
    assert client.post(_url("author_courses", world), {"title": "Mine"}).status_code == 403
    assert client.get(_url("author_course", world, course.public_id)).status_code == 403
    lesson_url = _url("author_lesson", world, course.public_id, "before-planning-week")
    assert client.post(lesson_url, {"title": "x", "body": "y"}).status_code == 403
    assert Course.objects.filter(organisation=world.org).count() == 1
    assert not Activity.objects.filter(module__course=course).exists()


def test_outsiders_get_404_on_authoring(world: World, login: Login) -> None:
    course = _own_course(world)
    _module(world, course)
    client = login(world.outsider)
    for url in [
        _url("author_courses", world),
        _url("author_course", world, course.public_id),
        _url("author_lesson", world, course.public_id, "before-planning-week"),
    ]:
        assert client.get(url).status_code == 404, url


def test_shipped_and_other_organisations_courses_cannot_be_edited(
    world: World, login: Login
) -> None:
    shipped = Course.objects.create(slug="shipped", title="Shipped")
    theirs = Course.objects.create(slug="theirs", title="Theirs", organisation=world.other_org)
    client = login(world.admin)
    for course in (shipped, theirs):
        assert client.get(_url("author_course", world, course.public_id)).status_code == 404
        response = client.post(_url("author_course", world, course.public_id), {"title": "M"})
        assert response.status_code == 404
    assert not Module.objects.exists()


@pytest.mark.parametrize("size", [2, 20])
def test_the_course_list_runs_a_fixed_number_of_queries(
    world: World, login: Login, size: int, django_assert_num_queries: Any
) -> None:
    for n in range(size):
        _module(world, _own_course(world, f"Course {n}"))
    client = login(world.admin)
    # membership (+org, user; the session comes from the cache, and a member of one
    # organisation needs no switcher list), and the session save (savepoint, update,
    # release): 4, plus the own courses with their counts
    with django_assert_num_queries(5):
        response = client.get(_url("author_courses", world))
    assert response.content.decode().count("Course ") >= size


# Modules


def test_admin_adds_modules_in_order(world: World, login: Login) -> None:
    course = _own_course(world)
    client = login(world.admin)
    for title in ["Before planning week", "During the cycle"]:
        response = client.post(_url("author_course", world, course.public_id), {"title": title})
        assert response.status_code == 302
    modules = list(Module.objects.filter(course=course).order_by("position"))
    assert [(m.number, m.slug) for m in modules] == [
        (1, "before-planning-week"),
        (2, "during-the-cycle"),
    ]


def test_a_module_without_a_title_names_the_field_and_writes_nothing(
    world: World, login: Login
) -> None:
    course = _own_course(world)
    response = login(world.admin).post(_url("author_course", world, course.public_id), {})
    assert response.status_code == 200
    assert 'id="id_title_error"' in response.content.decode()
    assert not Module.objects.filter(course=course).exists()


@pytest.mark.parametrize("size", [2, 20])
def test_the_course_page_runs_a_fixed_number_of_queries(
    world: World, login: Login, size: int, django_assert_num_queries: Any
) -> None:
    course = _own_course(world)
    for n in range(size):
        module = _module(world, course, f"Module {n}")
        authoring.add_lesson(actor=world.admin, module=module, title=f"L{n}", body="Text.")
    client = login(world.admin)
    # membership (+org, user; the session comes from the cache, and a member of one
    # organisation needs no switcher list), and the session save (savepoint, update,
    # release): 4, plus the course, its modules and their lessons
    with django_assert_num_queries(7):
        response = client.get(_url("author_course", world, course.public_id))
    assert response.content.decode().count("Add a lesson to") == size


# Lessons


def test_admin_writes_a_markdown_lesson_that_learners_read_sanitised(
    world: World, login: Login
) -> None:
    course = _own_course(world)
    module = _module(world, course)
    body = (
        "# Ignored title line is fine\n\n## Why we plan early\n\nWe **always** start a week "
        "before.\n\n<script>alert(1)</script>\n\n![logo](https://images.example.org/logo.png)\n\n"
        "[evil](javascript:alert(1)) and [guide](https://intranet.example/okrs)"
    )
    response = login(world.admin).post(
        _url("author_lesson", world, course.public_id, module.slug),
        {"title": "Planning week", "body": body},
    )
    assert response.status_code == 302
    lesson = Activity.objects.get(module=module)
    html = lesson.spec["html"]
    assert "<h2>Why we plan early</h2>" in html and "<strong>always</strong>" in html
    assert "<script" not in html and "<img" not in html and "javascript:" not in html
    assert 'href="https://intranet.example/okrs"' in html
    page = login(world.member).get(_url("activity", world, course.slug, module.slug, lesson.slug))
    assert page.status_code == 200 and "<h2>Why we plan early</h2>" in page.content.decode()
    assert "<script>alert" not in page.content.decode()


def test_a_lesson_without_a_body_names_the_field_and_writes_nothing(
    world: World, login: Login
) -> None:
    course = _own_course(world)
    module = _module(world, course)
    response = login(world.admin).post(
        _url("author_lesson", world, course.public_id, module.slug), {"title": "Empty"}
    )
    assert response.status_code == 200
    assert 'id="id_body_error"' in response.content.decode()
    assert not Activity.objects.filter(module=module).exists()


def test_an_unknown_module_is_404(world: World, login: Login) -> None:
    course = _own_course(world)
    url = _url("author_lesson", world, course.public_id, "nope")
    assert login(world.admin).get(url).status_code == 404


@pytest.mark.parametrize("size", [2, 20])
def test_the_lesson_form_runs_a_fixed_number_of_queries(
    world: World, login: Login, size: int, django_assert_num_queries: Any
) -> None:
    course = _own_course(world)
    module = _module(world, course)
    for n in range(size):
        authoring.add_lesson(actor=world.admin, module=module, title=f"L{n}", body="Text.")
    client = login(world.admin)
    # membership (+org, user; the session comes from the cache, and a member of one
    # organisation needs no switcher list), and the session save (savepoint, update,
    # release): 4, plus the course and the module
    with django_assert_num_queries(6):
        response = client.get(_url("author_lesson", world, course.public_id, module.slug))
    assert response.status_code == 200


def test_services_refuse_a_non_admin_and_another_organisations_course(world: World) -> None:
    from django.core.exceptions import ValidationError

    course = _own_course(world)
    with pytest.raises(ValidationError) as exc:
        authoring.create_course(actor=world.manager, title="Mine")
    assert "title" in exc.value.message_dict
    theirs = Course.objects.create(slug="theirs", title="Theirs", organisation=world.other_org)
    with pytest.raises(ValidationError) as exc:
        authoring.add_module(actor=world.admin, course=theirs, title="M")
    assert "course" in exc.value.message_dict
    assert Course.objects.filter(organisation=world.org).get() == course
