"""A history of any length for query-count tests: n meetings with agenda, action items and
notes; n development OKRs with progress; n assessments; n pieces of feedback; n check-ins on the
person's key results; certificates and retrospectives."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from okrcoach.growth import services
from okrcoach.growth.models import Feedback, Meeting
from okrcoach.okrs.models import Retrospective
from okrcoach.okrs.tests.factories import (
    CheckInFactory,
    CycleFactory,
    KeyResultFactory,
    ObjectiveFactory,
)

from .conftest import Cast, make_series, make_skill


def build_history(cast: Cast, n: int) -> dict[str, Any]:
    org = cast.world.org
    series, first = make_series(cast)
    meeting = first
    for i in range(n):
        services.add_agenda_item(actor=cast.manager, meeting=meeting, text=f"Point {i}")
        services.add_action_item(
            actor=cast.manager, meeting=meeting, text=f"Action {i}", owner=cast.person
        )
        services.save_private_note(actor=cast.manager, meeting=meeting, body=f"note {i}")
        if i < n - 1:
            meeting = services.schedule_next_meeting(actor=cast.manager, series=series)
    cycle = CycleFactory(organisation=org)
    skill = make_skill(cast)
    for i in range(n):
        objective = ObjectiveFactory(cycle=cycle, owner=cast.person, title=f"Objective {i}")
        kr = KeyResultFactory(
            objective=objective,
            last_check_in_at=timezone.now(),
            next_check_in_due=timezone.localdate() - timedelta(days=1),
            confidence=2,
        )
        CheckInFactory(key_result=kr, created_at=timezone.now() - timedelta(days=1))
        Retrospective.objects.create(
            organisation=org, cycle=cycle, objective=objective, author=cast.person, learned="x"
        )
        dev = services.create_development_objective(
            actor=cast.person,
            person=cast.person,
            title=f"Grow {i}",
            starts_on=cycle.starts_on,
            ends_on=cycle.ends_on,
            skills=[skill],
            key_results=["Learn a", "Learn b"],
        )
        for dkr in dev.key_results.all():
            services.record_development_progress(actor=cast.person, key_result=dkr, progress=30)
        services.assess_skill(actor=cast.person, person=cast.person, skill=skill, level=2)
        services.assess_skill(actor=cast.manager, person=cast.person, skill=skill, level=1)
        feedback = services.give_feedback(
            actor=cast.peer,
            recipient=cast.person,
            body=f"Thanks {i}",
            visibility=Feedback.Visibility.PUBLIC if i % 2 else Feedback.Visibility.PRIVATE,
            objective=objective,
        )
        services.request_feedback(
            actor=cast.person, about=cast.person, respondent=cast.peer, message=f"How did {i} go?"
        )
    return {
        "series": series,
        "meeting": Meeting.objects.for_org(org).filter(series=series).order_by("-held_on").first(),
        "cycle": cycle,
        "development": dev,
        "feedback": feedback,
    }
