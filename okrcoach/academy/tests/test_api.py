from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import World
from okrcoach.academy import services
from okrcoach.academy.models import (
    ActivityAttempt,
    Assignment,
    Certificate,
    Course,
    RefresherItem,
)
from okrcoach.api.services import create_api_token
from okrcoach.orgs.models import Membership

from .factories import QUIZ_RIGHT, activity, make_course

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


# --- taking a course through the API: the activity page's parsers and services --------------

ATTEMPTS = "/api/v1/academy/courses/{slug}/modules/{module}/activities/{activity}/attempts"


def _attempt(
    client: Client, auth: dict[str, str], course: Course, module: str, slug: str, body: object
) -> Any:
    url = ATTEMPTS.format(slug=course.slug, module=module, activity=slug)
    return client.post(url, body, content_type="application/json", **auth)


def test_a_learner_starts_a_course_and_passes_its_quiz(world: World, course: Course) -> None:
    client, auth = _client(world.member)
    started = client.post(f"/api/v1/academy/courses/{course.slug}/enroll", **auth)
    assert started.status_code == 200 and started.json()["enrolled"]
    again = client.post(f"/api/v1/academy/courses/{course.slug}/enroll", **auth)
    assert again.status_code == 200  # resuming is the same call
    lesson = _attempt(client, auth, course, "basics", "lesson", None)
    assert lesson.status_code == 201 and lesson.json()["finished"]
    quiz = _attempt(
        client, auth, course, "basics", "quiz", {"fields": {"q-q1": "1", "q-q2": ["0", "1"]}}
    )
    assert quiz.status_code == 201, quiz.content
    assert quiz.json()["passed"] and quiz.json()["score"] == 100.0
    detail = client.get(f"/api/v1/academy/courses/{course.slug}", **auth).json()
    quiz_row = next(a for a in detail["modules"][0]["activities"] if a["slug"] == "quiz")
    assert quiz_row["completed"]


def test_an_unanswered_question_is_422_naming_its_field_and_nothing_is_stored(
    world: World, course: Course
) -> None:
    client, auth = _client(world.member)
    response = _attempt(client, auth, course, "basics", "quiz", {"fields": {"q-q1": "1"}})
    assert response.status_code == 422 and response.json()["field"] == "fields.q-q2"
    assert not ActivityAttempt.objects.for_org(world.org).exists()


def test_unknown_body_fields_are_refused_by_name(world: World, course: Course) -> None:
    client, auth = _client(world.member)
    response = _attempt(client, auth, course, "basics", "quiz", {"answers": {}})
    assert response.status_code == 422 and response.json()["field"] == "answers"


def test_a_module_not_open_yet_is_403_as_on_the_page(world: World, course: Course) -> None:
    client, auth = _client(world.member)
    response = _attempt(client, auth, course, "practice", "rewrite", {"fields": {"text": "x"}})
    assert response.status_code == 403 and response.json()["detail"]
    assert not ActivityAttempt.objects.for_org(world.org).exists()


def test_another_organisations_course_is_404(world: World) -> None:
    theirs = make_course(slug="theirs", organisation=world.other_org)
    client, auth = _client(world.member)
    assert client.post(f"/api/v1/academy/courses/{theirs.slug}/enroll", **auth).status_code == 404
    response = _attempt(client, auth, theirs, "basics", "quiz", {"fields": {"q-q1": "1"}})
    assert response.status_code == 404 and response.json()["detail"]


# --- refreshers and certificate revocation -----------------------------------------------------


def test_due_refreshers_are_listed_and_answered(world: World, course: Course) -> None:
    m = world.manager
    services.mark_lesson_read(membership=m, activity=activity(course, "lesson"))
    services.submit_activity(membership=m, activity=activity(course, "quiz"), answers=QUIZ_RIGHT)
    services.submit_activity(
        membership=m,
        activity=activity(course, "reflection"),
        answers={"text": "Targets tied to pay would kill honesty."},
    )
    RefresherItem.objects.for_org(world.org).update(due_on=timezone.localdate())
    client, auth = _client(m)
    due = client.get("/api/v1/academy/me/refreshers", **auth).json()
    assert due and due[0]["choices"]
    item = due[0]
    url = "/api/v1/academy/me/refreshers"
    bad = client.post(url, {"answers": {"x": [1]}}, content_type="application/json", **auth)
    assert bad.status_code == 422 and bad.json()["field"] == "answers.x"
    typo = client.post(url, {"answer": {}}, content_type="application/json", **auth)
    assert typo.status_code == 422 and typo.json()["field"] in ("answer", "answers")
    answered = client.post(
        url, {"answers": {str(item["id"]): [1]}}, content_type="application/json", **auth
    )
    assert answered.status_code == 200, answered.content
    stored = RefresherItem.objects.for_org(world.org).get(pk=item["id"])
    assert stored.due_on > timezone.localdate()


def test_an_admin_revokes_a_certificate_with_a_reason(world: World, course: Course) -> None:
    from .test_views import _certify

    cert = _certify(world, course)
    url = f"/api/v1/academy/certificates/{cert.code}/revoke"
    client, manager = _client(world.manager)
    refused = client.post(url, {"reason": "x"}, content_type="application/json", **manager)
    assert refused.status_code == 403
    _c, admin = _client(world.admin)
    empty = client.post(url, {"reason": ""}, content_type="application/json", **admin)
    assert empty.status_code == 422 and empty.json()["field"] == "reason"
    cert.refresh_from_db()
    assert cert.status != "revoked"
    done = client.post(url, {"reason": "Plagiarism"}, content_type="application/json", **admin)
    assert done.status_code == 200 and done.json()["status"] == "revoked"
    _o, outsider = _client(world.outsider)
    assert (
        client.post(url, {"reason": "x"}, content_type="application/json", **outsider).status_code
        == 404
    )


def test_an_admin_relaxes_gating_and_others_may_not(world: World) -> None:
    client, admin = _client(world.admin)
    url = "/api/v1/academy/settings"
    assert client.get(url, **admin).json() == {"relax_gating": False}
    done = client.put(url, {"relax_gating": True}, content_type="application/json", **admin)
    assert done.status_code == 200 and done.json() == {"relax_gating": True}
    typo = client.put(
        url, {"relax_gating": True, "relax": True}, content_type="application/json", **admin
    )
    assert typo.status_code == 422 and typo.json()["field"] == "relax"
    _c, member = _client(world.member)
    assert client.get(url, **member).status_code == 403
    refused = client.put(url, {"relax_gating": False}, content_type="application/json", **member)
    assert refused.status_code == 403
    assert client.get(url, **admin).json() == {"relax_gating": True}
