"""The permission matrix, one test per cell: for every (object, action) in
growth.permissions.MATRIX and every relation, a persona holding exactly that relation tries the
real operation (a page, a service or a selector) and is let through exactly when the matrix says
so. Another organisation is never let through."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from okrcoach.growth import selectors, services
from okrcoach.growth.models import Feedback, PrivateNote, Skill
from okrcoach.growth.permissions import MATRIX, Rel, Subject, relations
from okrcoach.orgs.models import Membership

from .conftest import Cast, make_series, make_skill

BASE = [Rel.PERSON, Rel.MANAGER, Rel.MANAGER_CHAIN, Rel.ADMIN, Rel.EXECUTIVE, Rel.PEER]
AUTHORED = {"private_note", "feedback_private", "feedback_public", "feedback_request"}


def persona(cast: Cast, rel: Rel) -> Membership:
    return {
        Rel.PERSON: cast.person,
        Rel.MANAGER: cast.manager,
        Rel.MANAGER_CHAIN: cast.skip,
        Rel.ADMIN: cast.admin,
        Rel.EXECUTIVE: cast.exec2,
        Rel.PEER: cast.peer,
        Rel.OTHER_ORG: cast.outsider,
        Rel.AUTHOR: cast.colleague,
        Rel.ADDRESSEE: cast.colleague,
    }[rel]


def _ok(fn: Callable[[], Any]) -> bool:
    try:
        fn()
    except (PermissionDenied, Http404, ValidationError):
        return False
    return True


def _page(cast: Cast, actor: Membership, name: str, **kwargs: Any) -> bool:
    client = Client()
    client.force_login(actor.user)
    url = reverse(name, kwargs={"org_slug": cast.world.org.slug, **kwargs})
    status = client.get(url).status_code
    assert status in (200, 403, 404), (url, status)
    return status == 200


# --- probes: (cast, actor, rel) -> allowed ----------------------------------------------------


def one_on_one_view(cast: Cast, actor: Membership, rel: Rel) -> bool:
    _series, meeting = make_series(cast)
    return _page(cast, actor, "growth:meeting", meeting_id=meeting.public_id)


def one_on_one_change(cast: Cast, actor: Membership, rel: Rel) -> bool:
    _series, meeting = make_series(cast)
    return _ok(lambda: services.add_agenda_item(actor=actor, meeting=meeting, text="Routes"))


def one_on_one_create(cast: Cast, actor: Membership, rel: Rel) -> bool:
    return _ok(
        lambda: services.create_series(
            actor=actor,
            report=cast.person,
            rhythm_days=7,
            first_meeting_on=timezone.localdate(),
        )
    )


def _note(cast: Cast, rel: Rel) -> tuple[Any, PrivateNote]:
    _series, meeting = make_series(cast)
    # The note's author is the manager, except when probing the manager as a non-author.
    author = cast.person if rel == Rel.MANAGER else cast.manager
    note = services.save_private_note(actor=author, meeting=meeting, body="SECRET-NOTE-7")
    return meeting, note


def private_note_view(cast: Cast, actor: Membership, rel: Rel) -> bool:
    if rel == Rel.AUTHOR:
        actor = cast.manager
    meeting, _note_row = _note(cast, rel)
    client = Client()
    client.force_login(actor.user)
    url = reverse("growth:meeting", args=[cast.world.org.slug, meeting.public_id])
    page_shows = "SECRET-NOTE-7" in client.get(url).content.decode()
    api_shows = _ok(lambda: selectors.get_meeting(actor, meeting.public_id)) and (
        (n := selectors.meeting_page(actor, meeting).private_note) is not None
        and n.body == "SECRET-NOTE-7"
    )
    assert page_shows == api_shows
    return page_shows


def private_note_change(cast: Cast, actor: Membership, rel: Rel) -> bool:
    if rel == Rel.AUTHOR:
        actor = cast.manager
    meeting, note = _note(cast, rel)
    _ok(lambda: services.save_private_note(actor=actor, meeting=meeting, body="changed"))
    note.refresh_from_db()
    return note.body == "changed"


def _development(cast: Cast) -> Any:
    return services.create_development_objective(
        actor=cast.person,
        person=cast.person,
        title="Lead a route review on my own",
        starts_on=timezone.localdate() - timedelta(days=10),
        ends_on=timezone.localdate() + timedelta(days=80),
        key_results=["Run two reviews with the dispatch team"],
    )


def development_okr_view(cast: Cast, actor: Membership, rel: Rel) -> bool:
    objective = _development(cast)
    return _page(cast, actor, "growth:development", objective_id=objective.public_id)


def development_okr_change(cast: Cast, actor: Membership, rel: Rel) -> bool:
    kr = _development(cast).key_results.get()
    return _ok(
        lambda: services.record_development_progress(actor=actor, key_result=kr, progress=40)
    )


def _post_status(cast: Cast, actor: Membership, objective: Any, status: str) -> bool:
    client = Client()
    client.force_login(actor.user)
    url = reverse("growth:development_status", args=[cast.world.org.slug, objective.public_id])
    code = client.post(url, {"status": status, "note": "Ran both reviews"}).status_code
    assert code in (302, 403, 404), (url, code)
    objective.refresh_from_db()
    return code == 302 and objective.status == status


def development_okr_close(cast: Cast, actor: Membership, rel: Rel) -> bool:
    return _post_status(cast, actor, _development(cast), "done")


def development_okr_reopen(cast: Cast, actor: Membership, rel: Rel) -> bool:
    objective = _development(cast)
    services.set_development_status(actor=cast.person, objective=objective, status="dropped")
    return _post_status(cast, actor, objective, "active")


def skill_assessment_view(cast: Cast, actor: Membership, rel: Rel) -> bool:
    make_skill(cast)
    return _page(cast, actor, "growth:person_skills", person_id=cast.person.public_id)


def _assess(cast: Cast, actor: Membership) -> str | None:
    skill = make_skill(cast)
    try:
        a = services.assess_skill(actor=actor, person=cast.person, skill=skill, level=2)
    except (PermissionDenied, ValidationError):
        return None
    return a.kind


def skill_assessment_self_assess(cast: Cast, actor: Membership, rel: Rel) -> bool:
    return _assess(cast, actor) == "self"


def skill_assessment_manager_assess(cast: Cast, actor: Membership, rel: Rel) -> bool:
    return _assess(cast, actor) == "manager"


def skills_framework_view(cast: Cast, actor: Membership, rel: Rel) -> bool:
    return _page(cast, actor, "growth:skills")


def skills_framework_change_as(cast: Cast, actor: Membership, rel: Rel) -> bool:
    """Through the page: another organisation's admin must not add to this framework."""
    client = Client()
    client.force_login(actor.user)
    url = reverse("growth:skills", args=[cast.world.org.slug])
    data = {"name": "Dispatch", "levels": "One: starts\nTwo: runs it"}
    status = client.post(url, data).status_code
    assert status in (302, 403, 404), status
    return Skill.objects.for_org(cast.world.org).filter(name="Dispatch").exists()


def feedback_give(cast: Cast, actor: Membership, rel: Rel) -> bool:
    return _ok(lambda: services.give_feedback(actor=actor, recipient=cast.person, body="Thanks"))


def _feedback_visible(cast: Cast, actor: Membership, rel: Rel, visibility: str) -> bool:
    f = services.give_feedback(
        actor=cast.colleague, recipient=cast.person, body="Clear handover", visibility=visibility
    )
    reader = cast.colleague if rel == Rel.AUTHOR else actor
    return selectors.feedback_list(reader).filter(pk=f.pk).exists()


def feedback_private_view(cast: Cast, actor: Membership, rel: Rel) -> bool:
    return _feedback_visible(cast, actor, rel, Feedback.Visibility.PRIVATE)


def feedback_public_view(cast: Cast, actor: Membership, rel: Rel) -> bool:
    return _feedback_visible(cast, actor, rel, Feedback.Visibility.PUBLIC)


def feedback_request_create(cast: Cast, actor: Membership, rel: Rel) -> bool:
    return _ok(
        lambda: services.request_feedback(
            actor=actor, about=cast.person, respondent=cast.colleague, message="My handovers?"
        )
    )


def _request(cast: Cast, rel: Rel) -> Any:
    # Asked by the person, except for the AUTHOR and PERSON cells: then by their manager, so
    # the reader holds only the relation probed.
    requester = cast.manager if rel in (Rel.AUTHOR, Rel.PERSON) else cast.person
    return services.request_feedback(
        actor=requester, about=cast.person, respondent=cast.colleague, message="Handovers?"
    )


def feedback_request_view(cast: Cast, actor: Membership, rel: Rel) -> bool:
    fr = _request(cast, rel)
    reader = cast.manager if rel == Rel.AUTHOR else actor
    return _ok(lambda: selectors.get_feedback_request(reader, fr.public_id))


def feedback_request_answer(cast: Cast, actor: Membership, rel: Rel) -> bool:
    fr = _request(cast, rel)
    reader = cast.manager if rel == Rel.AUTHOR else actor
    return _ok(
        lambda: services.give_feedback(
            actor=reader, recipient=cast.person, body="Good handovers", request=fr
        )
    )


def evidence_pack_view(cast: Cast, actor: Membership, rel: Rel) -> bool:
    return _page(cast, actor, "growth:evidence_pack", person_id=cast.person.public_id)


PROBES: dict[tuple[str, str], Callable[[Cast, Membership, Rel], bool]] = {
    ("one_on_one", "view"): one_on_one_view,
    ("one_on_one", "change"): one_on_one_change,
    ("one_on_one", "create"): one_on_one_create,
    ("private_note", "view"): private_note_view,
    ("private_note", "change"): private_note_change,
    ("development_okr", "view"): development_okr_view,
    ("development_okr", "change"): development_okr_change,
    ("development_okr", "close"): development_okr_close,
    ("development_okr", "reopen"): development_okr_reopen,
    ("skill_assessment", "view"): skill_assessment_view,
    ("skill_assessment", "self_assess"): skill_assessment_self_assess,
    ("skill_assessment", "manager_assess"): skill_assessment_manager_assess,
    ("skills_framework", "view"): skills_framework_view,
    ("skills_framework", "change"): skills_framework_change_as,
    ("feedback", "give"): feedback_give,
    ("feedback_private", "view"): feedback_private_view,
    ("feedback_public", "view"): feedback_public_view,
    ("feedback_request", "create"): feedback_request_create,
    ("feedback_request", "view"): feedback_request_view,
    ("feedback_request", "answer"): feedback_request_answer,
    ("evidence_pack", "view"): evidence_pack_view,
}


def _cells() -> list[Any]:
    cells = []
    for (obj, action), allowed in MATRIX.items():
        rels = [*BASE, Rel.OTHER_ORG]
        if obj in AUTHORED:
            rels.append(Rel.AUTHOR)
        if obj == "feedback_request":
            rels.append(Rel.ADDRESSEE)
        for rel in rels:
            cells.append(pytest.param(obj, action, rel, rel in allowed, id=f"{obj}-{action}-{rel}"))
    return cells


def test_every_cell_of_the_matrix_has_a_probe() -> None:
    assert set(PROBES) == set(MATRIX)


def test_other_organisations_are_allowed_nothing() -> None:
    assert not any(Rel.OTHER_ORG in allowed for allowed in MATRIX.values())


def test_private_notes_are_for_their_author_alone() -> None:
    assert MATRIX[("private_note", "view")] == {Rel.AUTHOR}
    assert MATRIX[("private_note", "change")] == {Rel.AUTHOR}


@pytest.mark.django_db
@pytest.mark.parametrize(("obj", "action", "rel", "expected"), _cells())
def test_matrix_cell(cast: Cast, obj: str, action: str, rel: Rel, expected: bool) -> None:
    actor = persona(cast, rel)
    if rel in BASE:  # the persona holds the relation probed (sanity of the cast)
        assert rel in relations(actor, Subject(person=cast.person))
    assert PROBES[(obj, action)](cast, actor, rel) is expected
