from __future__ import annotations

from typing import Any

from okrcoach.academy.models import Certificate, Course
from okrcoach.core.tests.isolation import Route
from okrcoach.orgs.models import Membership


def _own_course(world: Any, org: Any) -> Course:
    """An organisation's own course (shipped courses are visible to every organisation)."""
    from okrcoach.academy.tests.factories import make_course

    return Course.objects.filter(organisation=org).first() or make_course(
        slug=f"own-{org.slug}", organisation=org
    )


def _course(world: Any, org: Any) -> dict[str, Any]:
    return {"course_slug": _own_course(world, org).slug}


def _module(world: Any, org: Any) -> dict[str, Any]:
    return {**_course(world, org), "module_slug": "basics"}


def _activity(world: Any, org: Any) -> dict[str, Any]:
    return {**_module(world, org), "activity_slug": "quiz"}


def _certificate(world: Any, org: Any) -> dict[str, Any]:
    from django.utils import timezone

    course = _own_course(world, org)
    member = Membership.objects.for_org(org).select_related("user").first()
    cert = Certificate.objects.for_org(org).filter(membership=member).first() or (
        Certificate.objects.create(
            organisation=org,
            membership=member,
            course=course,
            recipient_name="x",
            course_title=course.title,
            expires_at=timezone.now() + timezone.timedelta(days=9),
        )
    )
    return {"code": cert.code}


def _person(world: Any, org: Any) -> dict[str, Any]:
    return {"person_id": Membership.objects.for_org(org).first().public_id}


ROUTES = {
    "academy:course": Route(_course),
    "academy:enroll": Route(_course, "post"),
    "academy:module": Route(_module),
    "academy:activity": Route(_activity),
    "academy:certificate": Route(_certificate),
    "academy:certificate_revoke": Route(_certificate, "post"),
    "academy:training_record": Route(_person),
}


def _course_api(world: Any, org: Any) -> dict[str, Any]:
    return {"slug": _own_course(world, org).slug}


def _activity_api(world: Any, org: Any) -> dict[str, Any]:
    return {**_course_api(world, org), "module_slug": "basics", "activity_slug": "quiz"}


API_ROUTES = {
    "/api/v1/academy/courses/{slug}": _course_api,
    "/api/v1/academy/courses/{slug}/enroll": _course_api,
    "/api/v1/academy/certificates/{code}/revoke": _certificate,
    "/api/v1/academy/courses/{slug}/modules/{module_slug}/activities/{activity_slug}/attempts": (
        _activity_api
    ),
}


def _authored_course(world: Any, org: Any) -> dict[str, Any]:
    from okrcoach.academy.models import Module

    course = _own_course(world, org)
    Module.objects.get_or_create(
        course=course, slug="basics", defaults={"number": 1, "position": 1, "title": "Basics"}
    )
    return {"course_id": course.public_id}


def _authored_module(world: Any, org: Any) -> dict[str, Any]:
    return {**_authored_course(world, org), "module_slug": "basics"}


ROUTES.update(
    {
        "academy:author_course": Route(_authored_course),
        "academy:author_lesson": Route(_authored_module),
    }
)


def _authored_module_api(world: Any, org: Any) -> dict[str, Any]:
    return {**_authored_course(world, org), "module_slug": "basics"}


API_ROUTES.update(
    {
        "/api/v1/academy/authoring/courses/{course_id}": _authored_course,
        "/api/v1/academy/authoring/courses/{course_id}/modules": _authored_course,
        "/api/v1/academy/authoring/courses/{course_id}/modules/{module_slug}/lessons": (
            _authored_module_api
        ),
    }
)
