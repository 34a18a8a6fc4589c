"""Academy demo data for Kestrel Freight: Maya Okafor half-way through the manager course,
Samuel Osei certified, Daniel Abara overdue, and the course assigned to every manager.

Progress is made through the real services with correct answers, so the pages show genuine
attempts and feedback."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from okrcoach.academy import services
from okrcoach.academy.loader import load_courses
from okrcoach.academy.models import Activity, ActivityType, Assignment, Course, Module
from okrcoach.orgs.models import Membership, Organisation, Role

COURSE_SLUG = "manager-okr-course"
DEMO_REFLECTION = (
    "Our biggest risk is that OKRs become a second to-do list. The team already tracks "
    "delivery times and complaints, and I expect people to copy those numbers into key "
    "results without asking what should change for customers. I will hold a short session "
    "before planning where we sort our current metrics into health metrics and candidate "
    "key results, agree who owns each one, and book a fifteen-minute check-in every Monday. "
    "I will also tell the team plainly that scores have nothing to do with bonuses, and I "
    "will ask my own manager which company objective we contribute to before we write ours. "
    "Looking back on the cycle, the check-ins worked best when each owner came with one number "
    "and one blocker, and worst when we drifted into status reports about tasks. Next cycle we "
    "will keep three objectives at most, pair every speed key result with a quality guardrail, "
    "grade before we reflect, and write down two decisions we will carry into planning so the "
    "lessons do not evaporate between quarters."
)


def _answers(activity: Activity) -> dict[str, Any]:
    spec = activity.spec
    if activity.type == ActivityType.QUIZ:
        return {
            q["id"]: [i for i, c in enumerate(q["choices"]) if c["correct"]]
            for q in spec["questions"]
        }
    if activity.type == ActivityType.SORTING:
        return {item["id"]: item["answer"] for item in spec["items"]}
    if activity.type == ActivityType.FLAW_SPOTTING:
        return {"options": [o["id"] for o in spec["options"] if o["is_flaw"]]}
    if activity.type == ActivityType.CALIBRATION:
        return {item["id"]: item["expert_score"] for item in spec["items"]}
    if activity.type == ActivityType.REWRITE:
        return {"text": spec["model_answer"]}
    return {"text": DEMO_REFLECTION}


def _practise(membership: Membership, activity: Activity) -> None:
    kind = activity.type
    if kind == ActivityType.LESSON:
        services.mark_lesson_read(membership=membership, activity=activity)
    elif kind == ActivityType.SCENARIO:
        node: str | None = activity.spec["start"]
        while node is not None:
            choices = next(n for n in activity.spec["nodes"] if n["id"] == node)["choices"]
            best = max(range(len(choices)), key=lambda i: choices[i]["score"])
            attempt = services.choose_scenario_option(
                membership=membership, activity=activity, choice=best
            )
            node = attempt.state["node"]
    elif kind != ActivityType.FIELD_ASSIGNMENT:
        services.submit_activity(
            membership=membership, activity=activity, answers=_answers(activity)
        )


def complete_modules(membership: Membership, modules: list[Module]) -> None:
    """Work through every activity of these modules with correct answers (demo and journeys)."""
    for module in modules:
        for activity in Activity.objects.filter(module=module, is_active=True).order_by("position"):
            activity.module = module
            _practise(membership, activity)


def _member(org: Organisation, name: str) -> Membership:
    return (
        Membership.objects.for_org(org)
        .select_related("user", "organisation")
        .get(user__full_name=name)
    )


@transaction.atomic
def seed_academy() -> None:
    course = Course.objects.filter(slug=COURSE_SLUG, organisation__isnull=True).first()
    if course is None:
        load_courses()
        course = Course.objects.get(slug=COURSE_SLUG, organisation__isnull=True)
    org = Organisation.objects.filter(slug="kestrel").first()
    if org is None:
        return
    modules = list(
        Module.objects.filter(course=course, is_active=True)
        .select_related("course")
        .order_by("position")
    )
    admin = (
        Membership.objects.for_org(org)
        .filter(role=Role.ADMIN)
        .select_related("organisation")
        .first()
    )
    if admin is None:
        return

    maya = _member(org, "Maya Okafor")
    services.enroll(membership=maya, course=course)
    complete_modules(maya, modules[:6])
    first_of_seven = Activity.objects.filter(module=modules[6]).order_by("position").first()
    if first_of_seven is not None:
        first_of_seven.module = modules[6]
        _practise(maya, first_of_seven)
    services.record_learning_event(membership=maya, event="check_in_logged", count=1)

    samuel = _member(org, "Samuel Osei")
    services.enroll(membership=samuel, course=course)
    services.record_learning_event(membership=samuel, event="check_in_logged", count=3)
    services.record_learning_event(membership=samuel, event="objective_published_coach_good")
    services.record_learning_event(membership=samuel, event="retrospective_written")
    services.record_learning_event(membership=samuel, event="objective_created", count=2)
    complete_modules(samuel, modules)

    services.assign_course(
        actor=admin,
        course=course,
        audience=Assignment.Audience.MANAGERS,
        due_on=timezone.localdate() + dt.timedelta(days=45),
        note="Finish before next quarter's planning week.",
    )
    daniel = _member(org, "Daniel Abara")
    overdue = services.assign_course(
        actor=admin,
        course=course,
        audience=Assignment.Audience.PEOPLE,
        people=[daniel],
        due_on=timezone.localdate(),
        note="Agreed in your development plan.",
    )
    Assignment.objects.for_org(org).filter(pk=overdue.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=10),
        created_at=timezone.now() - dt.timedelta(days=40),
    )
    services.enroll(membership=daniel, course=course)
    complete_modules(daniel, modules[:1])
