"""Evidence for a skill level may be the person's own records (a key result, a check-in,
feedback received, an academy certificate), chosen among those the assessor may see, besides a
link; page and API accept the same records and refuse anyone else's, and show them as links."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from okrcoach.academy.models import Certificate
from okrcoach.academy.tests.factories import make_course
from okrcoach.growth import services
from okrcoach.growth.models import Evidence, Feedback, SkillAssessment
from okrcoach.okrs.tests.factories import (
    CheckInFactory,
    CycleFactory,
    KeyResultFactory,
    ObjectiveFactory,
)
from okrcoach.orgs.models import Membership

from .conftest import Cast, make_skill
from .test_api import Api


def _kr(owner: Membership, title: str, **extra: Any) -> Any:
    cycle = CycleFactory(organisation=owner.organisation)
    objective = ObjectiveFactory(cycle=cycle, owner=owner, title=f"Objective of {title}", **extra)
    return KeyResultFactory(objective=objective, title=title)


def _certificate(person: Membership) -> Certificate:
    course = make_course(slug="route-basics", organisation=person.organisation)
    return Certificate.objects.create(
        organisation=person.organisation,
        membership=person,
        course=course,
        recipient_name=person.user.full_name,
        course_title="Route basics",
        expires_at=timezone.now() + timedelta(days=365),
    )


@pytest.fixture
def records(cast: Cast) -> dict[str, Any]:
    kr = _kr(cast.person, "Plan every depot route in March")
    return {
        "skill": make_skill(cast),
        "kr": kr,
        "check_in": CheckInFactory(key_result=kr, author=cast.person),
        "feedback": services.give_feedback(
            actor=cast.peer, recipient=cast.person, body="Your March plan held up."
        ),
        "certificate": _certificate(cast.person),
        "other_kr": _kr(cast.peer, "Pat's own key result"),
    }


def _client(who: Membership) -> Client:
    client = Client()
    client.force_login(who.user)
    return client


@pytest.mark.django_db
def test_the_manager_cites_the_persons_records_and_the_page_links_them(
    cast: Cast, records: dict[str, Any]
) -> None:
    slug = cast.world.org.slug
    url = reverse("growth:person_skills", args=[slug, cast.person.public_id])
    response = _client(cast.manager).post(
        url,
        {
            "skill": records["skill"].pk,
            "level": 2,
            "note": "Plans a week's routes",
            "evidence_key_result": records["kr"].pk,
            "evidence_check_in": records["check_in"].pk,
            "evidence_feedback": records["feedback"].pk,
            "evidence_certificate": records["certificate"].pk,
            "evidence_url": "https://wiki.example.test/routes",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Evidence.objects.for_org(cast.world.org).count() == 5
    html = _client(cast.manager).get(url).content.decode()
    objective_url = reverse("okrs:objective_detail", args=[slug, records["kr"].objective.public_id])
    assert f'href="{objective_url}#kr-{records["kr"].public_id}"' in html
    assert "KR: Plan every depot route in March" in html
    assert "Check-in on “Plan every depot route in March”" in html
    feedback_url = reverse("growth:feedback_detail", args=[slug, records["feedback"].public_id])
    assert f'href="{feedback_url}"' in html and "Feedback from Pat Peer" in html
    cert_url = reverse("academy:verify", args=[records["certificate"].code])
    assert f'href="{cert_url}"' in html and "Certificate: Route basics" in html
    assert 'href="https://wiki.example.test/routes"' in html
    # The feedback link opens for the manager (the recipient's manager may read it).
    assert _client(cast.manager).get(feedback_url).status_code == 200


@pytest.mark.django_db
def test_someone_elses_record_is_not_offered_and_is_refused_with_nothing_written(
    cast: Cast, records: dict[str, Any]
) -> None:
    url = reverse("growth:person_skills", args=[cast.world.org.slug, cast.person.public_id])
    page = _client(cast.manager).get(url).content.decode()
    assert "Pat&#x27;s own key result" not in page and "Pat's own key result" not in page
    response = _client(cast.manager).post(
        url,
        {"skill": records["skill"].pk, "level": 2, "evidence_key_result": records["other_kr"].pk},
    )
    assert response.status_code == 200
    assert 'id="id_evidence_key_result_error"' in response.content.decode()
    assert not SkillAssessment.objects.for_org(cast.world.org).exists()


@pytest.mark.django_db
def test_the_service_refuses_records_that_are_not_the_persons_or_not_readable(
    cast: Cast, records: dict[str, Any]
) -> None:
    skill = records["skill"]
    with pytest.raises(ValidationError, match="someone else"):
        services.assess_skill(
            actor=cast.manager,
            person=cast.person,
            skill=skill,
            level=2,
            evidence=[services.EvidenceIn(key_result=records["other_kr"])],
        )
    # Private feedback is for the person, their manager and the giver: the skip-level
    # manager may assess, but may not cite (or read) it.
    with pytest.raises(ValidationError, match="cannot read"):
        services.assess_skill(
            actor=cast.skip,
            person=cast.person,
            skill=skill,
            level=2,
            evidence=[services.EvidenceIn(feedback=records["feedback"])],
        )
    assert not SkillAssessment.objects.for_org(cast.world.org).exists()


@pytest.mark.django_db
def test_private_feedback_evidence_is_not_shown_to_who_may_not_read_it(
    cast: Cast, records: dict[str, Any]
) -> None:
    services.assess_skill(
        actor=cast.manager,
        person=cast.person,
        skill=records["skill"],
        level=2,
        evidence=[services.EvidenceIn(feedback=records["feedback"])],
    )
    url = reverse("growth:person_skills", args=[cast.world.org.slug, cast.person.public_id])
    assert "Feedback from Pat Peer" in _client(cast.manager).get(url).content.decode()
    assert "Feedback from Pat Peer" not in _client(cast.skip).get(url).content.decode()
    detail = reverse(
        "growth:feedback_detail", args=[cast.world.org.slug, records["feedback"].public_id]
    )
    assert _client(cast.skip).get(detail).status_code == 404
    assert _client(cast.colleague).get(detail).status_code == 404


@pytest.mark.django_db
def test_public_recognition_opens_for_every_member(cast: Cast) -> None:
    praise = services.give_feedback(
        actor=cast.peer,
        recipient=cast.person,
        body="Thanks for covering the depot.",
        kind=Feedback.Kind.PRAISE,
        visibility=Feedback.Visibility.PUBLIC,
    )
    detail = reverse("growth:feedback_detail", args=[cast.world.org.slug, praise.public_id])
    assert "Thanks for covering the depot." in _client(cast.colleague).get(detail).content.decode()


@pytest.mark.django_db
def test_the_api_takes_the_same_records_and_refuses_others_with_422(
    cast: Cast, records: dict[str, Any]
) -> None:
    path = f"/people/{cast.person.public_id}/skill-assessments"
    body = {
        "skill_id": str(records["skill"].public_id),
        "level": 2,
        "evidence": [
            {"kind": "key_result", "id": str(records["kr"].public_id)},
            {"kind": "check_in", "id": str(records["check_in"].public_id)},
            {"kind": "feedback", "id": str(records["feedback"].public_id)},
            {"kind": "certificate", "id": str(records["certificate"].public_id)},
            {"kind": "url", "url": "https://wiki.example.test/routes"},
        ],
    }
    made = Api(cast.manager).send("post", path, body)
    assert made.status_code == 201, made.content
    kinds = [e["kind"] for e in made.json()["evidence"]]
    assert kinds == ["key_result", "check_in", "feedback", "certificate", "url"]
    assert made.json()["evidence"][0]["url"].endswith(f"#kr-{records['kr'].public_id}")

    foreign = dict(
        body, evidence=[{"kind": "key_result", "id": str(records["other_kr"].public_id)}]
    )
    refused = Api(cast.manager).send("post", path, foreign)
    assert refused.status_code == 422 and refused.json()["field"] == "evidence"
    no_url = dict(body, evidence=[{"kind": "url", "url": "ftp://x"}])
    bad_url = Api(cast.manager).send("post", path, no_url)
    assert bad_url.status_code == 422 and bad_url.json()["field"] == "evidence"
    assert SkillAssessment.objects.for_org(cast.world.org).count() == 1  # nothing more written
    # The skip-level manager reads the list without the private feedback link.
    listed = Api(cast.skip).get(path).json()["items"][0]["evidence"]
    assert [e["kind"] for e in listed] == ["key_result", "check_in", "certificate", "url"]
