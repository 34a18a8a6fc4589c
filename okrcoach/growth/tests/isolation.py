"""Growth's id-bearing routes for the isolation sweep (orgs/tests/test_url_permissions.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from okrcoach.core.tests.isolation import Route
from okrcoach.growth.models import (
    ActionItem,
    DevelopmentKeyResult,
    DevelopmentObjective,
    Feedback,
    Meeting,
    OneOnOneSeries,
)
from okrcoach.orgs.models import Membership


def _pair(org: Any) -> tuple[Membership, Membership]:
    members = list(Membership.objects.for_org(org).order_by("pk")[:2])
    if len(members) < 2:
        from okrcoach.orgs.tests.factories import MembershipFactory

        members.append(MembershipFactory(organisation=org))
    return members[0], members[1]


def _series_obj(org: Any) -> OneOnOneSeries:
    found = OneOnOneSeries.objects.for_org(org).first()
    if found:
        return found
    manager, report = _pair(org)
    series = OneOnOneSeries.objects.create(
        organisation=org,
        manager=manager,
        report=report,
        first_meeting_on=timezone.localdate(),
    )
    meeting = Meeting.objects.create(organisation=org, series=series, held_on=timezone.localdate())
    ActionItem.objects.create(
        organisation=org, series=series, raised_in=meeting, text="Ship it", owner=report
    )
    return series


def _series(world: Any, org: Any) -> dict[str, Any]:
    return {"series_id": _series_obj(org).public_id}


def _meeting(world: Any, org: Any) -> dict[str, Any]:
    series = _series_obj(org)
    return {"meeting_id": Meeting.objects.for_org(org).filter(series=series).first().public_id}


def _action(world: Any, org: Any) -> dict[str, Any]:
    kwargs = _meeting(world, org)
    item = ActionItem.objects.for_org(org).first()
    return {**kwargs, "item_id": item.public_id}


def _objective_obj(org: Any) -> DevelopmentObjective:
    found = DevelopmentObjective.objects.for_org(org).first()
    if found:
        return found
    person, _other = _pair(org)
    today = timezone.localdate()
    objective = DevelopmentObjective.objects.create(
        organisation=org,
        person=person,
        title="Learn to plan routes",
        starts_on=today,
        ends_on=today + timedelta(days=90),
        created_by=person,
    )
    DevelopmentKeyResult.objects.create(organisation=org, objective=objective, title="Plan one")
    return objective


def _objective(world: Any, org: Any) -> dict[str, Any]:
    return {"objective_id": _objective_obj(org).public_id}


def _kr(world: Any, org: Any) -> dict[str, Any]:
    objective = _objective_obj(org)
    kr = DevelopmentKeyResult.objects.for_org(org).filter(objective=objective).first()
    return {"kr_id": kr.public_id}


def _feedback(world: Any, org: Any) -> dict[str, Any]:
    found = Feedback.objects.for_org(org).first()
    if found is None:
        giver, recipient = _pair(org)
        found = Feedback.objects.create(
            organisation=org, giver=giver, recipient=recipient, body="Clear handover notes."
        )
    return {"feedback_id": found.public_id}


def _person(world: Any, org: Any) -> dict[str, Any]:
    return {"person_id": Membership.objects.for_org(org).first().public_id}


ROUTES = {
    "growth:series": Route(_series),
    "growth:series_ics": Route(_series),
    "growth:meeting_next": Route(_series, "post"),
    "growth:meeting": Route(_meeting),
    "growth:agenda_add": Route(_meeting, "post"),
    "growth:shared_notes": Route(_meeting, "post"),
    "growth:private_note": Route(_meeting, "post"),
    "growth:action_add": Route(_meeting, "post"),
    "growth:action_done": Route(_action, "post"),
    "growth:development_list": Route(_person),
    "growth:development": Route(_objective),
    "growth:development_kr_add": Route(_objective, "post"),
    "growth:development_status": Route(_objective, "post"),
    "growth:development_progress": Route(_kr, "post"),
    "growth:feedback_detail": Route(_feedback),
    "growth:person_skills": Route(_person),
    "growth:evidence_pack": Route(_person),
}

API_ROUTES = {
    "/api/v1/growth/one-on-ones/{series_id}": _series,
    "/api/v1/growth/one-on-ones/{series_id}/meetings": _series,
    "/api/v1/growth/meetings/{meeting_id}": _meeting,
    "/api/v1/growth/meetings/{meeting_id}/agenda": _meeting,
    "/api/v1/growth/meetings/{meeting_id}/notes": _meeting,
    "/api/v1/growth/meetings/{meeting_id}/action-items": _meeting,
    "/api/v1/growth/meetings/{meeting_id}/action-items/{item_id}/done": _action,
    "/api/v1/growth/development-objectives/{objective_id}": _objective,
    "/api/v1/growth/development-objectives/{objective_id}/key-results": _objective,
    "/api/v1/growth/development-objectives/{objective_id}/status": _objective,
    "/api/v1/growth/development-key-results/{kr_id}/progress": _kr,
    "/api/v1/growth/people/{person_id}/skill-assessments": _person,
}
