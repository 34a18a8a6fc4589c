"""A small course built in the database (no files) for fast tests; a module of every type."""

from __future__ import annotations

from typing import Any

from okrcoach.academy.models import Activity, ActivityType, Course, Module
from okrcoach.orgs.models import Organisation

QUIZ = {
    "pass_mark": 50,
    "questions": [
        {
            "id": "q1",
            "kind": "single",
            "prompt": "Which is a key result?",
            "refresher": True,
            "explanation": "A KR measures an outcome.",
            "choices": [
                {"text": "Ship the app", "correct": False, "explanation": "An output."},
                {
                    "text": "Weekly riders rise from 10 to 20",
                    "correct": True,
                    "explanation": "An outcome with baseline and target.",
                },
                {"text": "Be great", "correct": False, "explanation": "Vague."},
            ],
        },
        {
            "id": "q2",
            "kind": "multiple",
            "prompt": "Which are initiatives?",
            "explanation": "Initiatives are the work.",
            "choices": [
                {"text": "Run webinars", "correct": True, "explanation": "Work."},
                {"text": "Write a guide", "correct": True, "explanation": "Work."},
                {"text": "Churn falls to 2%", "correct": False, "explanation": "Outcome."},
            ],
        },
    ],
}
SORTING = {
    "instructions": "Sort.",
    "pass_mark": 50,
    "categories": [{"id": "objective", "label": "Objective"}, {"id": "kr", "label": "Key result"}],
    "items": [
        {
            "id": "s1",
            "text": "Delight riders",
            "answer": "objective",
            "explanation": "Qualitative.",
        },
        {"id": "s2", "text": "NPS from 20 to 40", "answer": "kr", "explanation": "Measurable."},
    ],
}
FLAWS = {
    "instructions": "Spot the flaws.",
    "pass_mark": 50,
    "okr": {"objective": "Grow 40%", "key_results": ["Launch app"]},
    "options": [
        {
            "id": "f1",
            "text": "Metric in objective",
            "is_flaw": True,
            "rule": "OBJ-01-QUALITATIVE",
            "explanation": "x",
        },
        {
            "id": "f2",
            "text": "KR is output",
            "is_flaw": True,
            "rule": "KR-04-OUTCOME",
            "explanation": "x",
        },
        {"id": "f3", "text": "Too short", "is_flaw": False, "explanation": "x"},
    ],
}
REWRITE = {
    "kind": "key_result",
    "instructions": "Rewrite.",
    "original": "Run six webinars",
    "parent_objective": "New clinics get value in their first week",
    "pass_score": 70,
    "hints": ["Who changes?"],
    "model_answer": "Clinics that book a patient within 7 days rise from 30% to 55%",
}
SCENARIO = {
    "intro": "A check-in.",
    "start": "n1",
    "pass_mark": 60,
    "nodes": [
        {
            "id": "n1",
            "text": "Ana asks.",
            "choices": [
                {"text": "Good", "score": 2, "feedback": "Yes.", "next": "n2"},
                {"text": "Bad", "score": 0, "feedback": "No.", "next": "n2"},
            ],
        },
        {
            "id": "n2",
            "text": "Then?",
            "choices": [
                {"text": "Good end", "score": 2, "feedback": "Great."},
                {"text": "Meh end", "score": 1, "feedback": "Ok."},
            ],
        },
    ],
}
CALIBRATION = {
    "instructions": "Score.",
    "tolerance": 0.2,
    "pass_mark": 50,
    "items": [
        {"id": "c1", "text": "KR one", "expert_score": 0.6, "explanation": "x"},
        {"id": "c2", "text": "KR two", "expert_score": 0.2, "explanation": "y"},
    ],
}
REFLECTION = {"prompt": "What would fail?", "guidance": ["Think."], "min_words": 5}
FIELD = {"instructions": "Log check-ins.", "event": "check_in_logged", "count": 3}
LESSON = {"title": "Lesson", "html": "<p>Outcomes, not outputs.</p>", "words": 900}

MODULE_1 = [
    ("lesson", ActivityType.LESSON, LESSON),
    ("quiz", ActivityType.QUIZ, QUIZ),
    ("reflection", ActivityType.REFLECTION, REFLECTION),
]
MODULE_2 = [
    ("sort", ActivityType.SORTING, SORTING),
    ("flaws", ActivityType.FLAW_SPOTTING, FLAWS),
    ("rewrite", ActivityType.REWRITE, REWRITE),
    ("scenario", ActivityType.SCENARIO, SCENARIO),
    ("calibration", ActivityType.CALIBRATION, CALIBRATION),
]
CAPSTONE = [
    ("final-quiz", ActivityType.QUIZ, QUIZ),
    ("field-check-ins", ActivityType.FIELD_ASSIGNMENT, FIELD),
]


def make_course(
    slug: str = "test-course", organisation: Organisation | None = None, **extra: Any
) -> Course:
    course = Course.objects.create(
        slug=slug,
        title=f"Course {slug}",
        summary="A test course.",
        organisation=organisation,
        validity_days=365,
        min_quiz_average=50,
        content_hash="h",
        **extra,
    )
    for position, (mslug, activities) in enumerate(
        [("basics", MODULE_1), ("practice", MODULE_2), ("capstone", CAPSTONE)], start=1
    ):
        module = Module.objects.create(
            course=course,
            slug=mslug,
            number=position,
            position=position,
            title=f"Module {mslug}",
            summary="s",
            learning_objectives=["Learn"],
            required_slugs=[a[0] for a in activities],
            content_hash="h",
        )
        for i, (aslug, kind, spec) in enumerate(activities):
            Activity.objects.create(
                module=module,
                slug=aslug,
                type=kind,
                title=aslug.title(),
                position=i,
                spec=spec,
                content_hash=f"{mslug}-{aslug}",
            )
    return course


def add_modules(course: Course, n: int) -> None:
    """Pad a course with extra lesson-and-quiz modules (for flat query counts)."""
    start = Module.objects.filter(course=course).count() + 1
    for k in range(start, start + n):
        module = Module.objects.create(
            course=course,
            slug=f"extra-{k}",
            number=k,
            position=k,
            title=f"Extra {k}",
            required_slugs=["lesson", "quiz"],
            content_hash="h",
        )
        Activity.objects.create(
            module=module,
            slug="lesson",
            type=ActivityType.LESSON,
            title="Lesson",
            position=0,
            spec=LESSON,
            content_hash="l",
        )
        Activity.objects.create(
            module=module,
            slug="quiz",
            type=ActivityType.QUIZ,
            title="Quiz",
            position=1,
            spec=QUIZ,
            content_hash="q",
        )


def activity(course: Course, slug: str) -> Activity:
    return Activity.objects.select_related("module__course").get(module__course=course, slug=slug)


QUIZ_RIGHT = {"q1": [1], "q2": [0, 1]}
