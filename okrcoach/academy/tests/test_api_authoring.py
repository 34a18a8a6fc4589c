"""Course authoring through the API (admins): the same forms, services and checks as the
authoring pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import World
from okrcoach.academy import authoring
from okrcoach.academy.models import Activity, Course, Module
from okrcoach.api.services import create_api_token
from okrcoach.orgs.models import Membership

from .factories import make_course

pytestmark = pytest.mark.django_db

BASE = "/api/v1/academy/authoring/courses"
# The token (lookup with the membership, last use: 2), the page count (1), the page of courses
# with their module and lesson counts (1).
LIST_QUERIES = 4
# The token (2), the course (1), its modules (1), their lessons (1).
DETAIL_QUERIES = 5


class Api:
    def __init__(self, m: Membership) -> None:
        _token, raw = create_api_token(membership=m, name="t")
        self.client, self.auth = Client(), {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def get(self, path: str) -> Any:
        return self.client.get(path, **self.auth)

    def post(self, path: str, body: Any = None) -> Any:
        if body is None:
            return self.client.post(path, **self.auth)
        return self.client.post(path, body, content_type="application/json", **self.auth)


def _course(world: World, title: str = "Our planning rules") -> Course:
    return authoring.create_course(actor=world.admin, title=title, summary="How we plan.")


def _module(world: World, course: Course, title: str = "Before planning week") -> Module:
    return authoring.add_module(actor=world.admin, course=course, title=title)


# --- happy paths -----------------------------------------------------------------------------


def test_an_admin_creates_a_course_and_lists_their_organisations_own(world: World) -> None:
    api = Api(world.admin)
    created = api.post(BASE, {"title": " Our planning rules ", "summary": "How we plan."})
    assert created.status_code == 201, created.content
    course = Course.objects.get(organisation=world.org)
    assert created.json() == {
        "id": str(course.public_id),
        "slug": "our-planning-rules",
        "title": "Our planning rules",
        "summary": "How we plan.",
        "module_count": 0,
        "lesson_count": 0,
    }
    make_course(slug="shipped")  # shipped courses are not the organisation's own
    _course(world, "Second")
    authoring.create_course(actor=world.outsider, title="Theirs")  # another organisation's
    listing = api.get(BASE).json()
    assert [c["title"] for c in listing["items"]] == ["Our planning rules", "Second"]


def test_an_admin_adds_a_module_and_reads_the_course_back(world: World) -> None:
    course = _course(world)
    api = Api(world.admin)
    added = api.post(f"{BASE}/{course.public_id}/modules", {"title": "Before planning week"})
    assert added.status_code == 201, added.content
    assert added.json() == {
        "slug": "before-planning-week",
        "number": 1,
        "title": "Before planning week",
        "summary": "",
        "lessons": [],
    }
    detail = api.get(f"{BASE}/{course.public_id}").json()
    assert detail["id"] == str(course.public_id)
    assert [m["slug"] for m in detail["modules"]] == ["before-planning-week"]


def test_an_admin_adds_a_lesson_whose_markdown_is_sanitised_as_on_the_page(world: World) -> None:
    course = _course(world)
    module = _module(world, course)
    body = (
        "## Why\n\nWe plan **together**.\n\n<script>alert(1)</script>\n\n"
        "![x](https://example.com/x.png) [ok](https://example.com) [no](javascript:alert(1))"
    )
    response = Api(world.admin).post(
        f"{BASE}/{course.public_id}/modules/{module.slug}/lessons",
        {"title": "Why we plan", "body": body},
    )
    assert response.status_code == 201, response.content
    out = response.json()
    lesson = Activity.objects.get(module=module, slug="why-we-plan")
    assert out["html"] == lesson.spec["html"] == authoring.render_lesson(body)
    assert "<h2>" in out["html"] and "<strong>together</strong>" in out["html"]
    for unsafe in ("<script", "<img", "javascript:"):
        assert unsafe not in out["html"]
    assert (out["module"], out["slug"], out["position"]) == (module.slug, "why-we-plan", 1)
    detail = Api(world.admin).get(f"{BASE}/{course.public_id}").json()
    assert detail["modules"][0]["lessons"] == [
        {"slug": "why-we-plan", "title": "Why we plan", "position": 1}
    ]


# --- access: another organisation is 404, a member is 403 ------------------------------------


def test_another_organisations_token_gets_404_for_the_course_and_its_module(world: World) -> None:
    course = _course(world)
    module = _module(world, course)
    api = Api(world.outsider)
    for response in (
        api.get(f"{BASE}/{course.public_id}"),
        api.post(f"{BASE}/{course.public_id}/modules", {"title": "Sneaky"}),
        api.post(
            f"{BASE}/{course.public_id}/modules/{module.slug}/lessons",
            {"title": "Sneaky", "body": "x"},
        ),
    ):
        assert response.status_code == 404 and response.json()["detail"]
    assert Module.objects.filter(course=course).count() == 1
    assert not Activity.objects.filter(module=module).exists()
    assert api.get(BASE).json()["count"] == 0  # an admin there, who sees only their own


def test_shipped_courses_are_404_to_admins_as_on_the_page(world: World) -> None:
    shipped = make_course(slug="shipped")
    api = Api(world.admin)
    assert api.get(f"{BASE}/{shipped.public_id}").status_code == 404
    response = api.post(f"{BASE}/{shipped.public_id}/modules", {"title": "Ours now"})
    assert response.status_code == 404 and response.json()["detail"]
    lesson = api.post(
        f"{BASE}/{shipped.public_id}/modules/basics/lessons", {"title": "Ours", "body": "x"}
    )
    assert lesson.status_code == 404
    assert not Module.objects.filter(course=shipped, title="Ours now").exists()


def test_an_unknown_module_is_404(world: World) -> None:
    course = _course(world)
    response = Api(world.admin).post(
        f"{BASE}/{course.public_id}/modules/nope/lessons", {"title": "A", "body": "b"}
    )
    assert response.status_code == 404 and response.json()["detail"]


def test_a_member_who_is_not_an_admin_gets_403(world: World) -> None:
    course = _course(world)
    module = _module(world, course)
    api = Api(world.member)
    for response in (
        api.get(BASE),
        api.post(BASE, {"title": "Mine"}),
        api.get(f"{BASE}/{course.public_id}"),
        api.post(f"{BASE}/{course.public_id}/modules", {"title": "Mine"}),
        api.post(
            f"{BASE}/{course.public_id}/modules/{module.slug}/lessons",
            {"title": "Mine", "body": "x"},
        ),
    ):
        assert response.status_code == 403 and response.json()["detail"]
    assert Course.objects.filter(organisation=world.org).count() == 1
    assert Module.objects.filter(course=course).count() == 1
    assert not Activity.objects.filter(module=module).exists()


# --- invalid input: 422 naming the field, nothing written ------------------------------------


def test_a_blank_title_or_body_is_422_naming_the_field_and_writes_nothing(world: World) -> None:
    course = _course(world)
    module = _module(world, course)
    api = Api(world.admin)
    cases = [
        (BASE, {"title": "   "}, "title"),
        (f"{BASE}/{course.public_id}/modules", {"title": " "}, "title"),
        (
            f"{BASE}/{course.public_id}/modules/{module.slug}/lessons",
            {"title": "A", "body": " "},
            "body",
        ),
        (
            f"{BASE}/{course.public_id}/modules/{module.slug}/lessons",
            {"title": "", "body": "x"},
            "title",
        ),
        (f"{BASE}/{course.public_id}/modules/{module.slug}/lessons", {"title": "A"}, "body"),
        (BASE, {"title": "x" * 201}, "title"),
    ]
    for path, body, field in cases:
        response = api.post(path, body)
        assert response.status_code == 422, (path, body, response.content)
        assert field in response.json()["field"], (path, body, response.json())
    assert Course.objects.filter(organisation=world.org).count() == 1
    assert Module.objects.filter(course=course).count() == 1
    assert not Activity.objects.filter(module=module).exists()


def test_an_unknown_body_field_is_422(world: World) -> None:
    course = _course(world)
    module = _module(world, course)
    api = Api(world.admin)
    for path, body in (
        (BASE, {"title": "A", "colour": "red"}),
        (f"{BASE}/{course.public_id}/modules", {"title": "A", "position": 1}),
        (
            f"{BASE}/{course.public_id}/modules/{module.slug}/lessons",
            {"title": "A", "body": "b", "html": "<b>x</b>"},
        ),
    ):
        response = api.post(path, body)
        assert response.status_code == 422, response.content
        assert response.json()["field"]
    assert Course.objects.filter(organisation=world.org).count() == 1
    assert Module.objects.filter(course=course).count() == 1
    assert not Activity.objects.filter(module=module).exists()


# --- query counts at two sizes ---------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 6])
def test_the_authoring_reads_run_a_constant_number_of_queries(
    world: World, size: int, django_assert_num_queries: Any
) -> None:
    courses = [_course(world, f"Course {n}") for n in range(size)]
    for n in range(size):
        module = _module(world, courses[0], f"Module {n}")
        authoring.add_lesson(actor=world.admin, module=module, title=f"Lesson {n}", body="Text.")
    # A fresh token for each read, so each records its first use (later uses within a minute
    # skip that update).
    lister, reader = Api(world.admin), Api(world.admin)
    with django_assert_num_queries(LIST_QUERIES):
        listing = lister.get(BASE).json()
    assert listing["count"] == size
    assert listing["items"][0]["module_count"] == size
    assert listing["items"][0]["lesson_count"] == size
    with django_assert_num_queries(DETAIL_QUERIES):
        detail = reader.get(f"{BASE}/{courses[0].public_id}").json()
    assert len(detail["modules"]) == size
