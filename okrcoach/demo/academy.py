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
from okrcoach.academy.grading import count_words
from okrcoach.academy.loader import load_courses
from okrcoach.academy.models import (
    Activity,
    ActivityType,
    Assignment,
    AssignmentTarget,
    Course,
    Module,
)
from okrcoach.orgs.models import Membership, Organisation, Role

COURSE_SLUG = "manager-okr-course"
# Reflections written by different people about different modules: different lengths and
# concerns, as real ones are.
REFLECTIONS = [
    (
        "Our biggest risk is that OKRs become a second to-do list. The team already tracks "
        "delivery times and complaints, and I expect people to copy those numbers into key "
        "results without asking what should change for customers. Before planning I will sort "
        "our current metrics into health metrics and candidate key results with the team, agree "
        "who owns each one, and book a fifteen-minute check-in every Monday. I will also say "
        "plainly that scores have nothing to do with bonuses."
    ),
    (
        "Last quarter we wrote six objectives and finished two. The honest reason is that four "
        "of them were projects we had already promised, dressed up as outcomes. This time I "
        "want three at most, and each key result should be something a customer or a driver "
        "would notice. I am worried about the one on response times: we can hit it by closing "
        "tickets faster without fixing anything, so I will pair it with a reopen rate "
        "and ask the team to tell me when the two pull against each other."
    ),
    (
        "Check-ins worked when each owner came with one number and one blocker, and drifted "
        "into status reports when they did not. The week we skipped the meeting, nobody "
        "noticed the returns backlog until the customer did. I will keep the meeting to fifteen "
        "minutes, move task updates to the board, and ask one question at the end: what would "
        "change your confidence next week? If the answer is nothing, we are probably measuring "
        "activity rather than results, and I will say so."
    ),
    (
        "What surprised me in the scenario was how quickly a stretch goal turns into a promise "
        "once a director repeats it in a meeting. In our team the sales targets are committed, "
        "but the onboarding work is genuinely uncertain, so I will label those objectives as "
        "aspirational and explain what a 0.7 means before anyone sees a score. I also want the "
        "mid-quarter review to be the place where we drop a key result that no longer makes "
        "sense, instead of carrying it to the end and grading it zero. Next step: walk through "
        "the draft with Sofia before the planning week, and ask her which company objective we "
        "contribute to most directly."
    ),
]


def _answers(activity: Activity, membership: Membership) -> dict[str, Any]:
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
    # Each learner starts from a different reflection and adds paragraphs until the activity's
    # minimum length is reached: different texts of different lengths.
    first = (membership.pk + activity.position) % len(REFLECTIONS)
    paragraphs = [REFLECTIONS[first]]
    while count_words("\n\n".join(paragraphs)) < int(spec.get("min_words", 0)) and len(
        paragraphs
    ) < 3 * len(REFLECTIONS):
        paragraphs.append(REFLECTIONS[(first + len(paragraphs)) % len(REFLECTIONS)])
    return {"text": "\n\n".join(paragraphs)}


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
            membership=membership, activity=activity, answers=_answers(activity, membership)
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
    # Assigned forty days ago and due ten days ago: made as rows, because the service (rightly)
    # refuses a past due date and would email today's date to him.
    overdue = Assignment.objects.for_org(org).create(
        organisation=org,
        course=course,
        audience=Assignment.Audience.PEOPLE,
        due_on=timezone.localdate() - dt.timedelta(days=10),
        note="Agreed in your development plan.",
        assigned_by=admin,
    )
    Assignment.objects.for_org(org).filter(pk=overdue.pk).update(
        created_at=timezone.now() - dt.timedelta(days=40)
    )
    AssignmentTarget.objects.for_org(org).create(
        organisation=org, assignment=overdue, membership=daniel
    )
    services.enroll(membership=daniel, course=course)
    complete_modules(daniel, modules[:1])
