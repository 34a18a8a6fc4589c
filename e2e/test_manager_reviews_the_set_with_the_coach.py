"""Journey (issue 9): the manager types a task-like key result, applies the coach's suggestion and
the verdict improves; the objective page shows the coach's review of the whole set with one
overall verdict; dismissing a finding changes the verdict in the panel, on the key result's badge
and in the set review, and saving the item again keeps it so; a task the coach cannot rewrite gets
a worked example; an item in another language gets no verdict and no score; the accuracy page says
how often each rule is right. Screenshots at 1280 and 390 px go to /work/shots/coach/."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, PageChecks
from okrcoach.demo.okrs import seed_okrs
from okrcoach.demo.people import DEMO_PASSWORD, seed_people
from okrcoach.okrs.coaching import store_review
from okrcoach.okrs.models import Cycle, KeyResult, Objective
from okrcoach.okrs.services.coach import recoach_organisation
from okrcoach.orgs.models import Membership, Organisation

TASK = "Run six onboarding webinars for new customers"
OUTCOME = "Share of new customers who finish setup in their first week rises from 20% to 45%"
RELATIVE = "New customers who finish setup in week one rise by 10%"
FRENCH = "Les nouveaux clients terminent leur installation dès la première semaine"
SHOTS = Path("/work/shots/coach")


def _keep(path: Path) -> None:
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(path, SHOTS / path.name)


def _unstyle(page: Any) -> None:
    # Playwright's screenshot leaves style="" on inputs; htmx would copy it (CSP refuses).
    page.evaluate(
        "document.querySelectorAll('[style=\"\"]').forEach(e => e.removeAttribute('style'))"
    )


@pytest.mark.django_db(transaction=True)
def test_manager_reviews_the_set_with_the_coach(
    live_server: Any, page: Any, checks: PageChecks
) -> None:
    seed_people()
    seed_okrs()
    org = Organisation.objects.get(slug="kestrel")
    recoach_organisation(org)
    maya = Membership.objects.for_org(org).get(user__email="maya.okafor@kestrel.example")
    objective = (
        Objective.objects.for_org(org)
        .filter(owner=maya, cycle__state=Cycle.State.ACTIVE)
        .order_by("pk")
        .first()
    )
    assert objective is not None

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(maya.user.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Good to see you, Maya")).to_be_visible()

    # 1. A task-like key result, the suggestion applied, a better verdict.
    page.goto(f"{live_server.url}/o/kestrel/okrs/objectives/{objective.public_id}/key-results/new/")
    feedback = page.locator("#coach-feedback")
    title = page.get_by_label(re.compile(r"^Key result:?$"))
    title.fill(TASK)
    verdict = page.locator("#coach-feedback .coach__verdict")
    expect(verdict).to_have_text(re.compile("Verdict: Needs work"))
    expect(feedback.get_by_text("Right ", exact=False).first).to_be_visible()
    _unstyle(page)
    feedback.get_by_role("button", name=re.compile("Apply suggestion")).first.click()
    expect(title).to_have_value(re.compile(r"^Share of customers who act after the six"))
    expect(verdict).to_have_text(re.compile("Verdict: (Good|Weak)"))
    checks.accessible("coach panel after applying a suggestion")
    _keep(checks.screenshot("coach_editor_after_apply"))
    _unstyle(page)

    title.fill(OUTCOME)
    page.get_by_label(re.compile(r"^Unit:?$")).select_option("percent")
    page.get_by_label("Baseline").fill("20")
    page.get_by_label(re.compile(r"^Target:?$")).fill("45")
    page.get_by_label("Where the number comes from").fill("Product analytics, setup funnel")
    expect(verdict).to_have_text(re.compile("Verdict: Good"))
    page.get_by_role("button", name="Save key result").click()
    expect(page.get_by_role("heading", name=objective.title, exact=True)).to_be_visible()

    # 2. The set review on the objective page, one overall verdict.
    set_review = page.locator("#coach-set")
    expect(set_review.get_by_role("heading", name="Coach: the set as a whole")).to_be_visible()
    expect(
        set_review.get_by_text(re.compile("Overall verdict: (Good|Weak|Needs work)"))
    ).to_be_visible()
    expect(set_review.get_by_text(OUTCOME)).to_be_visible()
    checks.accessible("objective page with the set review")
    _keep(checks.screenshot("coach_objective_set_review"))

    # 3. A dismissal changes the verdict everywhere it is shown.
    kr = KeyResult.objects.for_org(org).filter(objective=objective).order_by("pk").first()
    assert kr is not None
    kr.title = RELATIVE
    kr.data_source = "Product analytics, setup funnel"
    kr.baseline = None  # the title alone carries the numbers: "by 10%" has no base
    store_review(kr)
    kr.save()
    assert kr.coach_verdict["verdict"] == "weak"
    page.goto(f"{live_server.url}/o/kestrel/okrs/key-results/{kr.public_id}/edit/")
    expect(verdict).to_have_text(re.compile("Verdict: Weak"))
    # dismiss the warnings one by one (in the editor the draft also carries its fields)
    for _ in range(3):
        warnings = page.locator("#coach-feedback .coach-finding--warning")
        if warnings.count() == 0:
            break
        finding = warnings.first
        rule = finding.locator("code").first.inner_text()
        finding.locator("summary").click()
        finding.get_by_label("Why does this not apply?").fill("It is in percentage points.")
        finding.get_by_role("button", name=re.compile("Dismiss finding")).click()
        expect(page.get_by_text(f"{rule} dismissed", exact=False)).to_be_visible()
        _unstyle(page)
    expect(verdict).to_have_text(re.compile("Verdict: Good"))
    expect(page.locator("#coach-feedback .coach__score")).to_have_text("Score 100/100")
    kr.refresh_from_db()
    assert kr.coach_verdict["verdict"] == "good"
    page.goto(f"{live_server.url}/o/kestrel/okrs/objectives/{objective.public_id}/")
    card = page.get_by_role("article", name=RELATIVE)
    expect(card.get_by_role("link", name=re.compile("Coach: good"))).to_be_visible()
    item = page.locator("#coach-set li", has_text=RELATIVE)
    expect(item.get_by_text("Coach: good")).to_be_visible()

    # Saving the key result again (nothing changed) keeps the dismissals in the stored verdict.
    page.goto(f"{live_server.url}/o/kestrel/okrs/key-results/{kr.public_id}/edit/")
    expect(verdict).to_have_text(re.compile("Verdict: Good"))
    page.get_by_role("button", name="Save key result").click()
    expect(page.get_by_role("heading", name=objective.title, exact=True)).to_be_visible()
    card = page.get_by_role("article", name=RELATIVE)
    expect(card.get_by_role("link", name=re.compile("Coach: good"))).to_be_visible()
    kr.refresh_from_db()
    assert kr.coach_verdict["verdict"] == "good"

    # The objective's editor shows the same set review beside the objective's own findings.
    page.goto(f"{live_server.url}/o/kestrel/okrs/objectives/{objective.public_id}/edit/")
    editor_set = page.locator("#coach-feedback #coach-set")
    expect(editor_set.get_by_text(re.compile("Overall verdict:"))).to_be_visible()
    expect(editor_set.locator("li", has_text=RELATIVE).get_by_text("Coach: good")).to_be_visible()
    checks.accessible("objective editor with the set review")
    _keep(checks.screenshot("coach_objective_editor_set_review"))

    # 4. A task the coach cannot rewrite: its question and a worked example for the domain.
    new_kr = f"{live_server.url}/o/kestrel/okrs/objectives/{objective.public_id}/key-results/new/"
    page.goto(new_kr)
    title = page.get_by_label(re.compile(r"^Key result:?$"))
    title.fill("Post the job adverts on three boards")
    example = page.locator("#coach-feedback .coach-example")
    expect(
        example.get_by_role("heading", name=re.compile(r"A worked example \(Hiring\)"))
    ).to_be_visible()
    expect(page.locator("#coach-feedback")).to_contain_text("Ask yourself:")
    expect(page.locator("#coach-feedback")).not_to_contain_text("_%")
    checks.accessible("coach panel with a worked example")
    _keep(checks.screenshot("coach_editor_worked_example"))
    _unstyle(page)

    # 5. Another language: said plainly, no verdict and no score.
    title.fill(FRENCH)
    notice = page.get_by_test_id("coach-not-english")
    expect(notice).to_have_text(re.compile("The coach reviews English text today"))
    expect(page.locator("#coach-feedback")).not_to_contain_text("Verdict:")
    expect(page.locator("#coach-feedback .coach__score")).to_have_count(0)
    checks.accessible("coach panel on a text in another language")
    _keep(checks.screenshot("coach_editor_not_english"))
    _unstyle(page)

    # 6. How often the coach is right.
    page.goto(f"{live_server.url}/o/kestrel/okrs/coach/accuracy/")
    expect(page.get_by_role("heading", name="How often the coach is right")).to_be_visible()
    expect(page.get_by_role("rowheader", name=re.compile("realistic-heldback"))).to_be_visible()
    checks.accessible("accuracy page")
    _keep(checks.screenshot("coach_accuracy_page"))

    # Screenshots at desktop and phone width: the editor with its set review, and the accuracy
    # page; nothing may push either page wider than the window.
    editor_url = f"{live_server.url}/o/kestrel/okrs/objectives/{objective.public_id}/edit/"
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.goto(editor_url)
        expect(page.locator("#coach-feedback #coach-set")).to_be_visible()
        checks.fits(f"objective editor at {size['width']} px")
        checks.accessible(f"objective editor at {size['width']} px")
        _keep(checks.screenshot(f"coach_editor_set_review_{size['width']}"))
        page.goto(f"{live_server.url}/o/kestrel/okrs/coach/accuracy/")
        expect(page.get_by_role("heading", name="How often each rule is right")).to_be_visible()
        checks.fits(f"accuracy page at {size['width']} px")
        checks.accessible(f"accuracy page at {size['width']} px")
        _keep(checks.screenshot(f"coach_accuracy_{size['width']}"))
