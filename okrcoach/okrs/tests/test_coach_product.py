"""The coach in the product (issue 9): the stored verdict always accounts for the item's
dismissals, the set review shows the objective count (SET-02), the editor says plainly when a
text is not English, findings read their titles from the catalogue and, without a rewrite,
show a worked example for the item's domain."""

from __future__ import annotations

from typing import cast

from conftest import World
from okrcoach.okrs import coach_panel
from okrcoach.okrs.coaching import store_review
from okrcoach.okrs.models import Cycle, KeyResult, Objective
from okrcoach.okrs.services.coach import dismiss_finding
from okrcoach.okrs.services.key_results import KeyResultData, update_key_result
from okrcoach.okrs.services.objectives import ObjectiveData, update_objective

from .factories import KeyResultFactory, ObjectiveFactory
from .test_coach_views import HX, OUTCOME, kr_post, objective_post
from .test_pages import client_for, url

ARABIC = "تحسين تجربة العملاء في جميع فروعنا"


def _objective(
    world: World, cycle: Cycle, title: str = "Make new customers successful"
) -> Objective:
    return cast(Objective, ObjectiveFactory(cycle=cycle, owner=world.member, title=title))


def _saved_kr(world: World, cycle: Cycle, title: str = OUTCOME) -> KeyResult:
    kr = cast(KeyResult, KeyResultFactory(objective=_objective(world, cycle), title=title))
    store_review(kr)
    kr.save()
    return kr


def test_saving_a_key_result_again_keeps_its_dismissals_in_the_stored_verdict(
    world: World, cycle: Cycle
) -> None:
    kr = _saved_kr(world, cycle)
    assert "KR-10-DEFINED" in kr.coach_rules
    dismiss_finding(
        actor=world.member,
        kind="key_result",
        target=kr,
        text=kr.title,
        rule="KR-10-DEFINED",
        reason="The figure comes from our weekly CRM export.",
    )
    kr.refresh_from_db()
    after_dismissal = dict(kr.coach_verdict)
    assert "KR-10-DEFINED" not in kr.coach_rules
    # Saving again (the same text, then a new one) must not bring the dismissed finding back.
    for title in (kr.title, kr.title + " this quarter"):
        update_key_result(
            actor=world.member,
            key_result=kr,
            version=kr.version,
            data=KeyResultData(
                title=title,
                owner=kr.owner,
                kr_type=kr.kr_type,
                unit_kind=kr.unit_kind,
                baseline=kr.baseline,
                target=kr.target,
            ),
        )
        kr.refresh_from_db()
        assert "KR-10-DEFINED" not in kr.coach_rules
    assert kr.coach_verdict["verdict"] == after_dismissal["verdict"]
    # The panel agrees with the stored verdict and score.
    panel = coach_panel.stored_feedback(actor=world.member, key_result=kr)
    assert (panel.verdict, panel.score) == (kr.coach_verdict["verdict"], kr.coach_verdict["score"])


def test_saving_an_objective_again_keeps_its_dismissals_in_the_stored_verdict(
    world: World, cycle: Cycle
) -> None:
    objective = _objective(world, cycle, "Launch the new rider app")
    store_review(objective)
    objective.save()
    rule = objective.coach_rules[0]
    dismiss_finding(
        actor=world.member,
        kind="objective",
        target=objective,
        text=objective.title,
        rule=rule,
        reason="We discussed this at the planning day.",
    )
    update_objective(
        actor=world.member,
        objective=objective,
        version=Objective.objects.get(pk=objective.pk).version,
        data=ObjectiveData(title=objective.title, level=Objective.Level.PERSONAL),
    )
    objective.refresh_from_db()
    assert rule not in objective.coach_rules


def test_the_objective_page_shows_set_02_when_the_owner_has_too_many_objectives(
    world: World, cycle: Cycle
) -> None:
    objectives = [
        _objective(world, cycle, f"Riders in district {i} find a bike within 2 minutes")
        for i in range(4)
    ]
    for o in objectives:
        o.level = Objective.Level.PERSONAL
        o.team = None
        o.save()
    body = (
        client_for(world.member)
        .get(url(world, "objective_detail", objective_id=objectives[0].public_id))
        .content.decode()
    )
    assert 'id="coach-set-finding-SET-02-OBJ-COUNT"' in body
    assert "4 objectives for one person this cycle (at most 3)." in body
    # the catalogue's summary of the rule sits beside its id
    assert "At most 3 to 5 objectives per team, 3 per person." in body


def test_the_set_review_says_what_a_weak_item_misses_until_it_is_dismissed(
    world: World, cycle: Cycle
) -> None:
    kr = _saved_kr(world, cycle)  # a measured outcome with no data source: weak, KR-10
    assert kr.coach_verdict["verdict"] == "weak" and "KR-10-DEFINED" in kr.coach_rules
    page = url(world, "objective_detail", objective_id=kr.objective.public_id)
    reason = "Not met: The measure is defined (instrument, formula or data source)."
    body = client_for(world.member).get(page).content.decode()
    item = body.split('class="coach-set__items"')[1].split("</ul>")[0]
    assert reason in item
    dismiss_finding(
        actor=world.member,
        kind="key_result",
        target=kr,
        text=kr.title,
        rule="KR-10-DEFINED",
        reason="The figure comes from our weekly CRM export.",
    )
    body = client_for(world.member).get(page).content.decode()
    assert "Not met:" not in body.split('class="coach-set__items"')[1].split("</ul>")[0]


def test_the_set_review_stays_quiet_on_set_02_within_the_limit(world: World, cycle: Cycle) -> None:
    objective = _objective(world, cycle)
    body = (
        client_for(world.member)
        .get(url(world, "objective_detail", objective_id=objective.public_id))
        .content.decode()
    )
    assert 'id="coach-set"' in body and "SET-02-OBJ-COUNT" not in body


def test_the_editor_says_plainly_that_it_reviews_english_only(world: World, cycle: Cycle) -> None:
    objective = _objective(world, cycle)
    for target, post in (
        (url(world, "coach_new_key_result_review", objective_id=objective.public_id), kr_post),
        (url(world, "coach_objective_review", objective_id=objective.public_id), objective_post),
    ):
        body = client_for(world.member).post(target, post(ARABIC), **HX).content.decode()
        assert "The coach reviews English text today" in body
        assert "Verdict:" not in body and "Score" not in body.split('id="coach-set"')[0]
        assert "/100" not in body.split('id="coach-set"')[0]
        assert 'data-testid="coach-not-english"' in body


def test_the_panel_api_of_a_saved_non_english_item_answers_without_verdict(
    world: World, cycle: Cycle
) -> None:
    from okrcoach.okrs.api_coach import _panel

    kr = _saved_kr(world, cycle, ARABIC)
    out = _panel(coach_panel.stored_feedback(actor=world.member, key_result=kr))
    assert out.verdict == "" and out.score is None
    assert out.message is not None and "English" in out.message


def test_a_finding_without_a_rewrite_shows_a_worked_example_for_its_domain(
    world: World, cycle: Cycle
) -> None:
    objective = _objective(world, cycle, "Hire the nurses our wards need")
    body = (
        client_for(world.member)
        .post(
            url(world, "coach_new_key_result_review", objective_id=objective.public_id),
            kr_post("Post the job adverts on three boards"),
            **HX,
        )
        .content.decode()
    )
    assert "A worked example (Hiring)" in body
    assert "Offers accepted by the engineers we interview" in body
    assert "ticket" not in body.lower()  # never another domain's example
    # the rule's catalogue summary, and no template with blanks offered as advice
    assert "Measures a change in others" in body
    assert "_%" not in body


def test_finding_views_read_titles_from_the_catalogue() -> None:
    view = coach_panel.FindingView("KR-04-OUTCOME", "blocking", "m", "q", "s", None)
    from coach.catalogue import CATALOGUE

    assert view.summary == CATALOGUE["KR-04-OUTCOME"].summary
    assert coach_panel.FindingView("NO-SUCH", "info", "m", "q", "s", None).summary == ""
