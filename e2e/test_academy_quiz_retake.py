"""Journey: a manager fails the module-3 quiz, reads why each answer was right or wrong,
retakes it and passes."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import PageChecks
from okrcoach.academy.loader import load_courses
from okrcoach.academy.models import Activity, Module
from okrcoach.demo.academy import COURSE_SLUG, complete_modules
from okrcoach.demo.people import DEMO_PASSWORD, seed_people
from okrcoach.orgs.models import Membership


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def _answer(page: Any, questions: list[dict[str, Any]], *, correctly: bool) -> None:
    for n, q in enumerate(questions, start=1):
        group = page.get_by_role("group", name=f"{n}. {q['prompt']}")
        for choice in q["choices"]:
            wanted = choice["correct"] if correctly else not choice["correct"]
            if wanted:
                group.get_by_label(choice["text"], exact=True).check()
                if q["kind"] == "single":
                    break


@pytest.mark.django_db(transaction=True)
def test_manager_fails_the_module_3_quiz_reads_the_explanations_and_passes_on_retake(
    live_server: Any, page: Any, checks: PageChecks
) -> None:
    org = seed_people()
    load_courses()
    aisha = Membership.objects.for_org(org).get(user__full_name="Aisha Bello")
    modules = list(
        Module.objects.filter(course__slug=COURSE_SLUG, course__organisation__isnull=True)
        .select_related("course")
        .order_by("position")
    )
    complete_modules(aisha, modules[:2])
    quiz = Activity.objects.get(module=modules[2], slug="quiz")
    questions = quiz.spec["questions"]

    sign_in(page, live_server.url, aisha.user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Academy").click()
    expect(page.get_by_role("heading", name="Academy", exact=True)).to_be_visible()
    expect(
        page.get_by_role("link", name="Continue: Key results: outcomes, not outputs")
    ).to_be_visible()
    checks.accessible("academy home")
    checks.screenshot("academy_home")

    page.get_by_role("link", name="Writing key results").first.click()
    expect(page.get_by_role("heading", name="Writing key results")).to_be_visible()
    page.get_by_role("link", name="Check your understanding").click()
    expect(page.get_by_role("heading", name="Check your understanding")).to_be_visible()
    checks.accessible("module 3 quiz")

    # Submitting with nothing chosen names every unanswered question.
    page.get_by_role("button", name="Submit answers").click()
    alert = page.get_by_role("alert")
    expect(alert.get_by_role("link", name="Question 1: choose an answer.")).to_be_visible()

    _answer(page, questions, correctly=False)
    page.get_by_role("button", name="Submit answers").click()
    feedback = page.get_by_role("status")
    expect(feedback.get_by_text("Not passed yet")).to_be_visible()
    expect(feedback.get_by_text(f"0 of {len(questions)} correct.")).to_be_visible()
    first_wrong = next(c for c in questions[0]["choices"] if not c["correct"])
    expect(feedback.get_by_text(first_wrong["explanation"], exact=True)).to_be_visible()
    expect(feedback.get_by_text(questions[0]["explanation"], exact=True)).to_be_visible()
    checks.accessible("quiz feedback (failed)")
    checks.screenshot("quiz_feedback")

    page.get_by_role("link", name="Retake the quiz").click()
    expect(page.get_by_role("button", name="Submit answers")).to_be_visible()
    _answer(page, questions, correctly=True)
    page.get_by_role("button", name="Submit answers").click()
    expect(feedback.get_by_text("Passed", exact=True)).to_be_visible()
    expect(feedback.get_by_text(f"{len(questions)} of {len(questions)} correct.")).to_be_visible()
    checks.accessible("quiz feedback (passed)")

    # A full page load keeps the pass (the panel was swapped in place by htmx).
    page.reload()
    expect(page.get_by_text("done", exact=True)).to_be_visible()
