"""The content check: the real course loads, and each kind of broken content is refused with a
message naming the file and the field."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from okrcoach.academy.coaching import review_draft
from okrcoach.academy.loader import (
    CONTENT_DIR,
    MIN_LESSON_WORDS,
    MIN_QUIZ_QUESTIONS,
    ContentInvalid,
    load_courses,
    read_all,
)
from okrcoach.academy.models import Activity, ActivityAttempt, ActivityType, Course, Enrollment

COURSE = "manager-course"


def test_the_shipped_content_is_valid_and_meets_every_minimum() -> None:
    courses = read_all()
    assert courses, "no course found"
    for course in courses:
        assert len(course.modules) >= 12
        for module in course.modules:
            lessons = [a for a in module.activities if a.type == ActivityType.LESSON]
            quizzes = [a for a in module.activities if a.type == ActivityType.QUIZ]
            assert max(a.spec["words"] for a in lessons) >= MIN_LESSON_WORDS, module.slug
            assert max(len(q.spec["questions"]) for q in quizzes) >= MIN_QUIZ_QUESTIONS
            for quiz in quizzes:
                for q in quiz.spec["questions"]:
                    assert q["explanation"].strip(), (module.slug, q["id"])
                    assert all(c["explanation"].strip() for c in q["choices"])


def _rewrite_exercises() -> list[tuple[str, dict[str, object]]]:
    return [
        (f"{course.slug}/{module.slug}/{activity.slug}", activity.spec)
        for course in read_all()
        for module in course.modules
        for activity in module.activities
        if activity.type == ActivityType.REWRITE
    ]


@pytest.mark.parametrize(
    ("where", "spec"), _rewrite_exercises(), ids=[w for w, _s in _rewrite_exercises()]
)
def test_every_rewrite_model_answer_passes_its_own_exercise(
    where: str, spec: dict[str, Any]
) -> None:
    """A learner who writes the model answer must pass: no blocking finding, score >= pass_score."""
    review = review_draft(
        spec["model_answer"], kind=spec["kind"], parent_objective=spec.get("parent_objective")
    )
    blocking = [f.rule for f in review.findings if f.severity == "blocking"]
    assert not blocking, f"{where}: model answer has blocking findings {blocking}"
    assert review.score >= spec["pass_score"], (
        f"{where}: model answer scores {review.score} < pass_score {spec['pass_score']} "
        f"({[(f.rule, f.message) for f in review.findings]})"
    )


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(CONTENT_DIR / COURSE, tmp_path / COURSE)
    return tmp_path


def _edit_yaml(path: Path, change: object) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def _problems(root: Path) -> str:
    with pytest.raises(ContentInvalid) as exc:
        read_all(root)
    return str(exc.value)


def test_a_question_without_an_explanation_is_refused(content: Path) -> None:
    quiz = content / COURSE / "01-why-okrs" / "quiz.yaml"
    _edit_yaml(quiz, lambda d: d["questions"][2].pop("explanation"))
    assert "01-why-okrs/quiz.yaml: questions[2].explanation: is missing" in _problems(content)


def test_a_choice_without_an_explanation_is_refused(content: Path) -> None:
    quiz = content / COURSE / "01-why-okrs" / "quiz.yaml"
    _edit_yaml(quiz, lambda d: d["questions"][0]["choices"][1].update(explanation=""))
    assert "questions[0].choices[1].explanation" in _problems(content)


def test_a_module_below_its_minimum_quiz_size_is_refused(content: Path) -> None:
    quiz = content / COURSE / "04-ambition-and-scoring" / "quiz.yaml"
    _edit_yaml(quiz, lambda d: d.update(questions=d["questions"][:7]))
    problems = _problems(content)
    assert "04-ambition-and-scoring/module.yaml: activities: the module needs a quiz" in problems


def test_a_short_lesson_is_refused(content: Path) -> None:
    lesson = content / COURSE / "05-alignment" / "lesson-alignment.md"
    lesson.write_text("# Alignment\n\nToo short to teach anything.\n")
    assert "05-alignment/module.yaml: activities: the module needs a lesson of at least 800" in (
        _problems(content)
    )


def test_a_required_slug_that_does_not_exist_is_refused(content: Path) -> None:
    module = content / COURSE / "06-initiatives-and-health-metrics" / "module.yaml"
    _edit_yaml(module, lambda d: d["completion"]["required"].append("no-such-activity"))
    assert "module.yaml: completion.required: activity 'no-such-activity' does not exist" in (
        _problems(content)
    )


def test_a_scenario_pointing_at_a_missing_node_is_refused(content: Path) -> None:
    scenario = content / COURSE / "03-writing-key-results" / "scenario-guardrail.yaml"
    _edit_yaml(scenario, lambda d: d["nodes"][0]["choices"][0].update(next="n99"))
    assert "scenario-guardrail.yaml: nodes[0].choices[0].next: node 'n99' does not exist" in (
        _problems(content)
    )


def test_a_flaw_citing_a_rule_outside_the_rubric_is_refused(content: Path) -> None:
    flaws = content / COURSE / "03-writing-key-results" / "flaws.yaml"
    _edit_yaml(flaws, lambda d: d["options"][0].update(rule="KR-99-MADE-UP"))
    assert "flaws.yaml: options[0].rule: 'KR-99-MADE-UP' is not a rule id" in _problems(content)


def test_invalid_yaml_is_refused_with_the_file_named(content: Path) -> None:
    (content / COURSE / "02-writing-objectives" / "quiz.yaml").write_text("pass_mark: [75\n")
    assert "02-writing-objectives/quiz.yaml: yaml: invalid YAML" in _problems(content)


def test_the_command_fails_with_a_clear_message(content: Path) -> None:
    (content / COURSE / "course.yaml").write_text("slug: x\n")
    with pytest.raises(CommandError, match=r"course.yaml: title: is missing"):
        call_command("load_academy", path=str(content))


@pytest.mark.django_db
def test_loading_twice_changes_nothing_and_a_changed_file_bumps_its_version(content: Path) -> None:
    first = load_courses(content)
    assert first.created > 0
    again = load_courses(content)
    assert again.created == 0 and again.updated == 0
    quiz = content / COURSE / "01-why-okrs" / "quiz.yaml"
    quiz.write_text(quiz.read_text().replace("pass_mark: 75", "pass_mark: 80", 1))
    report = load_courses(content)
    changed = Activity.objects.get(module__slug="why-okrs", slug="quiz")
    assert changed.version == 2 and changed.spec["pass_mark"] == 80
    assert report.updated == 3  # the activity, its module and the course (hashes roll up)
    assert Activity.objects.get(module__slug="why-okrs", slug="sort-building-blocks").version == 1


@pytest.mark.django_db
def test_reloading_without_an_activity_keeps_learner_data(content: Path, world: object) -> None:
    from conftest import World

    assert isinstance(world, World)
    load_courses(content)
    course = Course.objects.get(slug="manager-okr-course")
    sort = Activity.objects.get(module__slug="why-okrs", slug="sort-building-blocks")
    enrollment = Enrollment.objects.create(
        organisation=world.org, membership=world.member, course=course
    )
    ActivityAttempt.objects.create(
        organisation=world.org,
        enrollment=enrollment,
        membership=world.member,
        activity=sort,
        score=50,
    )
    module = content / COURSE / "01-why-okrs" / "module.yaml"
    _edit_yaml(
        module,
        lambda d: (
            d.update(
                activities=[a for a in d["activities"] if a["slug"] != "sort-building-blocks"]
            ),
            d["completion"]["required"].remove("sort-building-blocks"),
        ),
    )
    report = load_courses(content)
    sort.refresh_from_db()
    assert report.deactivated == 1 and not sort.is_active
    assert ActivityAttempt.objects.for_org(world.org).filter(activity=sort).count() == 1


@pytest.mark.django_db
def test_the_real_content_loads_through_the_command() -> None:
    call_command("load_academy")
    course = Course.objects.get(slug="manager-okr-course", organisation=None)
    assert course.modules.filter(is_active=True).count() == 12
    lesson = Activity.objects.filter(type=ActivityType.LESSON).first()
    assert lesson is not None and "<script" not in lesson.spec["html"]
    assert "<h2>" in lesson.spec["html"]
