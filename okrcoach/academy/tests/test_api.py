from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from conftest import World
from okrcoach.academy import services
from okrcoach.academy.models import Assignment, Certificate, Course
from okrcoach.api.services import create_api_token
from okrcoach.orgs.models import Membership

from .factories import QUIZ_RIGHT, activity

pytestmark = pytest.mark.django_db


def _client(m: Membership) -> tuple[Client, dict[str, str]]:
    _token, raw = create_api_token(membership=m, name="t")
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_courses_modules_and_my_progress(world: World, course: Course) -> None:
    services.submit_activity(
        membership=world.member, activity=activity(course, "quiz"), answers=QUIZ_RIGHT
    )
    client, auth = _client(world.member)
    listing = client.get("/api/v1/academy/courses", **auth).json()
    assert listing["count"] == 1 and listing["items"][0]["slug"] == course.slug
    detail = client.get(f"/api/v1/academy/courses/{course.slug}", **auth).json()
    basics = detail["modules"][0]
    assert basics["is_open"] and not detail["modules"][1]["is_open"]
    assert next(a for a in basics["activities"] if a["slug"] == "quiz")["best_score"] == 100.0
    progress = client.get("/api/v1/academy/me/progress", **auth).json()
    assert progress[0]["enrolled"] and progress[0]["modules_total"] == 3
    assert client.get("/api/v1/academy/courses").status_code == 401


def test_admins_list_and_create_assignments(world: World, course: Course) -> None:
    client, auth = _client(world.admin)
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    created = client.post(
        "/api/v1/academy/assignments",
        {
            "course": course.slug,
            "audience": "people",
            "due_on": due,
            "people": [str(world.member.public_id)],
        },
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201 and created.json()["targets"] == 1
    assert client.get("/api/v1/academy/assignments", **auth).json()["count"] == 1
    bad = client.post(
        "/api/v1/academy/assignments",
        {"course": course.slug, "audience": "team", "due_on": due},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 422 and bad.json()["field"] == "team"
    cross = client.post(
        "/api/v1/academy/assignments",
        {
            "course": course.slug,
            "audience": "people",
            "due_on": due,
            "people": [str(world.outsider.public_id)],
        },
        content_type="application/json",
        **auth,
    )
    assert cross.status_code == 404
    assert Assignment.objects.for_org(world.org).count() == 1


def test_members_cannot_manage_assignments(world: World, course: Course) -> None:
    client, auth = _client(world.member)
    assert client.get("/api/v1/academy/assignments", **auth).status_code == 403


def test_certificate_verification_needs_no_token(world: World, course: Course) -> None:
    cert = Certificate.objects.create(
        organisation=world.org,
        membership=world.member,
        course=course,
        recipient_name="Max Member",
        course_title=course.title,
        expires_at=timezone.now() - dt.timedelta(days=1),
    )
    response = Client().get(f"/api/v1/academy/certificate-verification?code={cert.code}")
    assert response.status_code == 200
    assert response.json() | {"issued_at": None, "expires_at": None} == {
        "code": cert.code,
        "name": "Max Member",
        "course": course.title,
        "status": "expired",
        "issued_at": None,
        "expires_at": None,
    }
    assert Client().get("/api/v1/academy/certificate-verification?code=NOPE").status_code == 404
