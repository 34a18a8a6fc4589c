"""The rules of 1:1s, development OKRs, skills and feedback, through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from okrcoach.core.models import AuditEvent
from okrcoach.growth import selectors, services
from okrcoach.growth.models import ActionItem, DevelopmentObjective, OneOnOneSeries
from okrcoach.okrs.models import Objective
from okrcoach.okrs.tests.factories import (
    CheckInFactory,
    CycleFactory,
    KeyResultFactory,
    ObjectiveFactory,
)

from .conftest import Cast, make_series, make_skill


@pytest.mark.django_db
def test_an_open_action_item_is_carried_to_the_next_meeting_until_done(cast: Cast) -> None:
    series, first = make_series(cast)
    item = services.add_action_item(
        actor=cast.manager, meeting=first, text="Book the depot visit", owner=cast.person
    )
    second = services.schedule_next_meeting(actor=cast.manager, series=series)
    rows = selectors.meeting_page(cast.manager, second).action_items
    assert [(r.item.pk, r.carried) for r in rows] == [(item.pk, True)]
    services.complete_action_item(actor=cast.person, item=item, meeting=second)
    third = services.schedule_next_meeting(actor=cast.manager, series=series)
    assert selectors.meeting_page(cast.manager, third).action_items == []
    # The meeting where it was done still shows it, as done; the first one shows it open.
    done_rows = selectors.meeting_page(cast.manager, second).action_items
    assert [r.done_here for r in done_rows] == [True]
    assert len(selectors.meeting_page(cast.manager, first).action_items) == 1


@pytest.mark.django_db
def test_the_next_meeting_is_one_rhythm_after_the_latest(cast: Cast) -> None:
    series, first = make_series(cast)
    second = services.schedule_next_meeting(actor=cast.person, series=series)
    assert second.held_on == first.held_on + timedelta(days=series.rhythm_days)


@pytest.mark.django_db
def test_an_action_item_owner_must_be_one_of_the_two_people_meeting(cast: Cast) -> None:
    _series, meeting = make_series(cast)
    with pytest.raises(ValidationError) as exc:
        services.add_action_item(actor=cast.manager, meeting=meeting, text="x", owner=cast.peer)
    assert "owner" in exc.value.message_dict
    assert not ActionItem.objects.for_org(cast.world.org).exists()


@pytest.mark.django_db
def test_a_private_note_never_reaches_the_audit_log_or_anyone_else(cast: Cast) -> None:
    _series, meeting = make_series(cast)
    services.save_private_note(actor=cast.manager, meeting=meeting, body="worried about burnout")
    events = AuditEvent.objects.for_org(cast.world.org).filter(action="growth.private_note.saved")
    assert events.count() == 1
    assert "burnout" not in str(list(events.values()))
    assert selectors.meeting_page(cast.person, meeting).private_note is None
    client = Client()
    client.force_login(cast.admin.user)
    url = reverse("growth:meeting", args=[cast.world.org.slug, meeting.public_id])
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_only_the_reports_manager_or_an_admin_starts_a_series(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.create_series(
            actor=cast.peer,
            report=cast.person,
            rhythm_days=7,
            first_meeting_on=timezone.localdate(),
        )
    series = services.create_series(
        actor=cast.admin, report=cast.person, rhythm_days=7, first_meeting_on=timezone.localdate()
    )
    assert series.manager == cast.manager
    with pytest.raises(ValidationError) as exc:
        services.create_series(
            actor=cast.manager,
            report=cast.person,
            rhythm_days=7,
            first_meeting_on=timezone.localdate(),
        )
    assert "report" in exc.value.message_dict
    assert OneOnOneSeries.objects.for_org(cast.world.org).count() == 1


@pytest.mark.django_db
def test_the_agenda_suggests_moved_at_risk_and_late_key_results_and_open_items(
    cast: Cast,
) -> None:
    series, first = make_series(cast)
    services.add_action_item(
        actor=cast.manager, meeting=first, text="Call dispatch", owner=cast.person
    )
    second = services.schedule_next_meeting(actor=cast.manager, series=series)
    objective = ObjectiveFactory(cycle=CycleFactory(organisation=cast.world.org), owner=cast.person)
    kr = KeyResultFactory(
        objective=objective,
        title="Parcels delivered first time",
        confidence=3,
        progress="0.4",
        last_check_in_at=timezone.now(),
        next_check_in_due=timezone.localdate() - timedelta(days=2),
    )
    CheckInFactory(key_result=kr, confidence=7, created_at=timezone.now() - timedelta(days=40))
    KeyResultFactory(objective=objective, title="Untouched", last_check_in_at=None)
    page = selectors.meeting_page(cast.manager, second)
    sources = [s.source for s in page.suggestions]
    texts = " | ".join(s.text for s in page.suggestions)
    assert sources.count("kr_moved") == 1 and "Parcels delivered first time" in texts
    assert "kr_at_risk" in sources
    assert "late_check_in" in sources
    assert "action_items" in sources
    assert "Untouched" not in texts
    # A suggestion taken into the agenda is no longer suggested.
    taken = page.suggestions[0]
    services.add_agenda_item(
        actor=cast.manager, meeting=second, text=taken.text, source=taken.source
    )
    again = selectors.meeting_page(cast.manager, second)
    assert taken.text not in [s.text for s in again.suggestions]


@pytest.mark.django_db
def test_a_private_objective_is_not_suggested_to_someone_who_cannot_see_it(cast: Cast) -> None:
    series, _first = make_series(cast)
    second = services.schedule_next_meeting(actor=cast.manager, series=series)
    objective = ObjectiveFactory(
        cycle=CycleFactory(organisation=cast.world.org),
        owner=cast.person,
        visibility=Objective.Visibility.PRIVATE,
    )
    KeyResultFactory(objective=objective, title="Hidden", last_check_in_at=timezone.now())
    # The manager sees it (owner's manager); the suggestion reaches them.
    assert any("Hidden" in s.text for s in selectors.meeting_page(cast.manager, second).suggestions)


@pytest.mark.django_db
def test_a_development_okr_is_never_in_the_company_tree_or_grading(cast: Cast) -> None:
    dev = services.create_development_objective(
        actor=cast.person,
        person=cast.person,
        title="Become the team's go-to for customs paperwork",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=90),
        key_results=["Handle five customs cases without help"],
    )
    assert not Objective.objects.for_org(cast.world.org).filter(title=dev.title).exists()
    client = Client()
    client.force_login(cast.admin.user)
    company = client.get(reverse("okrs:company", args=[cast.world.org.slug]))
    assert dev.title not in company.content.decode()


@pytest.mark.django_db
def test_a_development_okr_must_end_after_it_starts(cast: Cast) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.create_development_objective(
            actor=cast.person, person=cast.person, title="x", starts_on=today, ends_on=today
        )
    assert "ends_on" in exc.value.message_dict
    assert not DevelopmentObjective.objects.for_org(cast.world.org).exists()


@pytest.mark.django_db
def test_assessments_keep_their_history_and_refuse_a_level_the_skill_lacks(cast: Cast) -> None:
    skill = make_skill(cast)
    services.assess_skill(actor=cast.person, person=cast.person, skill=skill, level=1)
    services.assess_skill(actor=cast.person, person=cast.person, skill=skill, level=2)
    services.assess_skill(actor=cast.manager, person=cast.person, skill=skill, level=2)
    with pytest.raises(ValidationError) as exc:
        services.assess_skill(actor=cast.manager, person=cast.person, skill=skill, level=7)
    assert "level" in exc.value.message_dict
    track = selectors.person_skills_page(cast.person, cast.person).tracks[0]
    assert [a.level for a in track.assessments] == [1, 2, 2]
    assert track.latest_self.level == 2 and track.latest_manager.level == 2


@pytest.mark.django_db
def test_evidence_links_to_a_key_result_the_assessor_can_see(cast: Cast) -> None:
    skill = make_skill(cast)
    kr = KeyResultFactory(
        objective=ObjectiveFactory(
            cycle=CycleFactory(organisation=cast.world.org), owner=cast.person
        )
    )
    assessment = services.assess_skill(
        actor=cast.manager,
        person=cast.person,
        skill=skill,
        level=2,
        evidence=[services.EvidenceIn(key_result=kr, note="Planned every route in March")],
    )
    assert assessment.evidence.get().key_result == kr
    with pytest.raises(ValidationError):
        services.assess_skill(
            actor=cast.manager,
            person=cast.person,
            skill=skill,
            level=2,
            evidence=[services.EvidenceIn(key_result=kr, url="https://example.test/")],
        )


@pytest.mark.django_db
def test_answering_a_request_marks_it_answered_once(cast: Cast) -> None:
    fr = services.request_feedback(
        actor=cast.person, about=cast.person, respondent=cast.peer, message="My handovers?"
    )
    services.give_feedback(actor=cast.peer, recipient=cast.person, body="Crisp", request=fr)
    fr.refresh_from_db()
    assert fr.answered_at is not None
    with pytest.raises(ValidationError):
        services.give_feedback(actor=cast.peer, recipient=cast.person, body="Again", request=fr)


@pytest.mark.django_db
def test_nobody_asks_the_person_for_feedback_about_themselves(cast: Cast) -> None:
    with pytest.raises(ValidationError) as exc:
        services.request_feedback(
            actor=cast.person, about=cast.person, respondent=cast.person, message="?"
        )
    assert "respondent" in exc.value.message_dict


@pytest.mark.django_db
def test_the_evidence_pack_reads_aspirational_grades_and_computes_no_rating(cast: Cast) -> None:
    cycle = CycleFactory(organisation=cast.world.org)
    ObjectiveFactory(cycle=cycle, owner=cast.person, type=Objective.Type.ASPIRATIONAL)
    client = Client()
    client.force_login(cast.admin.user)
    url = reverse("growth:evidence_pack", args=[cast.world.org.slug, cast.person.public_id])
    html = client.get(url, {"cycle": str(cycle.public_id)}).content.decode()
    assert "OKR grades are not performance ratings" in html
    assert "about 0.7 counts as success" in html
    for word in ("rating:", "average score", "bonus:"):
        assert word not in html.lower()
