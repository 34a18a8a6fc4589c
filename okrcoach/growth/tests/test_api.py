"""/api/v1/growth: the same services and permission matrix as the pages, and a fixed number of
queries per list and meeting whatever the history's length."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from okrcoach.api.services import create_api_token
from okrcoach.growth import services
from okrcoach.growth.models import ActionItem, DevelopmentObjective, Feedback
from okrcoach.orgs.models import Membership

from .conftest import Cast, make_series, make_skill
from .history import build_history

BASE = "/api/v1/growth"


class Api:
    def __init__(self, membership: Membership) -> None:
        _token, raw = create_api_token(membership=membership, name="test")
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        self.client = Client()

    def get(self, path: str) -> Any:
        return self.client.get(BASE + path, **self.headers)

    def send(self, method: str, path: str, body: object = None) -> Any:
        return getattr(self.client, method)(
            BASE + path, body, content_type="application/json", **self.headers
        )


@pytest.mark.django_db
def test_a_manager_runs_a_one_on_one_through_the_api(cast: Cast) -> None:
    api = Api(cast.manager)
    created = api.send(
        "post",
        "/one-on-ones",
        {
            "report_id": str(cast.person.public_id),
            "rhythm_days": 14,
            "first_meeting_on": timezone.localdate().isoformat(),
        },
    )
    assert created.status_code == 201, created.content
    series_id = created.json()["id"]
    meetings = api.get(f"/one-on-ones/{series_id}/meetings").json()
    first_id = meetings["items"][0]["id"]
    item = api.send(
        "post",
        f"/meetings/{first_id}/action-items",
        {"text": "Send the route plan", "owner_id": str(cast.person.public_id)},
    )
    assert item.status_code == 201, item.content
    notes = api.send(
        "put", f"/meetings/{first_id}/notes", {"my_private_note": "mine", "shared_notes": "ours"}
    )
    assert notes.json()["my_private_note"] == "mine"
    nxt = api.send("post", f"/one-on-ones/{series_id}/meetings")
    assert nxt.status_code == 201
    carried = nxt.json()["action_items"]
    assert carried[0]["text"] == "Send the route plan" and carried[0]["carried_over"] is True
    # The report reads the shared notes but not the manager's private note.
    theirs = Api(cast.person).get(f"/meetings/{first_id}").json()
    assert theirs["shared_notes"] == "ours" and theirs["my_private_note"] is None
    done = Api(cast.person).send(
        "post", f"/meetings/{nxt.json()['id']}/action-items/{item.json()['id']}/done"
    )
    assert done.status_code == 200 and done.json()["done"] is True


@pytest.mark.django_db
def test_outsiders_to_a_one_on_one_get_403_and_nothing_is_written(cast: Cast) -> None:
    _series, meeting = make_series(cast)
    for who in (cast.peer, cast.admin, cast.skip):
        api = Api(who)
        assert api.get(f"/meetings/{meeting.public_id}").status_code == 403
        body = {"text": "x", "owner_id": str(cast.person.public_id)}
        response = api.send("post", f"/meetings/{meeting.public_id}/action-items", body)
        assert response.status_code == 403
    assert not ActionItem.objects.for_org(cast.world.org).exists()


@pytest.mark.django_db
def test_a_development_okr_is_seen_by_the_manager_but_not_a_teammate(cast: Cast) -> None:
    today = timezone.localdate()
    created = Api(cast.person).send(
        "post",
        "/development-objectives",
        {
            "person_id": str(cast.person.public_id),
            "title": "Run the Monday dispatch stand-up",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=90)).isoformat(),
            "key_results": ["Lead eight stand-ups"],
        },
    )
    assert created.status_code == 201, created.content
    oid = created.json()["id"]
    assert Api(cast.manager).get(f"/development-objectives/{oid}").status_code == 200
    assert Api(cast.peer).get(f"/development-objectives/{oid}").status_code == 403
    assert Api(cast.peer).get("/development-objectives").json()["count"] == 0
    assert Api(cast.skip).get("/development-objectives").json()["count"] == 1
    kr_id = created.json()["key_results"][0]["id"]
    progress = Api(cast.person).send(
        "post", f"/development-key-results/{kr_id}/progress", {"progress": 50}
    )
    assert progress.json()["progress"] == 50
    refused = Api(cast.skip).send(
        "post", f"/development-key-results/{kr_id}/progress", {"progress": 90}
    )
    assert refused.status_code == 403


@pytest.mark.django_db
def test_bad_input_is_422_naming_the_field_with_nothing_written(cast: Cast) -> None:
    today = timezone.localdate()
    response = Api(cast.person).send(
        "post",
        "/development-objectives",
        {
            "person_id": str(cast.person.public_id),
            "title": "x",
            "starts_on": today.isoformat(),
            "ends_on": today.isoformat(),
        },
    )
    assert response.status_code == 422 and response.json()["field"] == "ends_on"
    assert not DevelopmentObjective.objects.for_org(cast.world.org).exists()
    response = Api(cast.peer).send(
        "post", "/feedback", {"recipient_id": str(cast.person.public_id), "body": "x", "kind": "?"}
    )
    assert response.status_code == 422


@pytest.mark.django_db
def test_assessments_and_feedback_through_the_api(cast: Cast) -> None:
    skill = make_skill(cast)
    path = f"/people/{cast.person.public_id}/skill-assessments"
    mine = Api(cast.person).send("post", path, {"skill_id": str(skill.public_id), "level": 2})
    assert mine.status_code == 201 and mine.json()["kind"] == "self"
    theirs = Api(cast.manager).send("post", path, {"skill_id": str(skill.public_id), "level": 1})
    assert theirs.json()["kind"] == "manager"
    assert Api(cast.peer).get(path).status_code == 403
    assert Api(cast.admin).get(path).json()["count"] == 2
    given = Api(cast.peer).send(
        "post",
        "/feedback",
        {"recipient_id": str(cast.person.public_id), "body": "Great handover", "kind": "praise"},
    )
    assert given.status_code == 201 and given.json()["visibility"] == "private"
    assert Api(cast.person).get("/feedback").json()["count"] == 1
    assert Api(cast.colleague).get("/feedback").json()["count"] == 0
    asked = Api(cast.person).send(
        "post",
        "/feedback-requests",
        {"respondent_id": str(cast.peer.public_id), "message": "My handovers?"},
    )
    assert asked.status_code == 201
    assert Feedback.objects.for_org(cast.world.org).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 4])
def test_api_reads_run_a_fixed_number_of_queries(cast: Cast, size: int) -> None:
    history = build_history(cast, size)
    api = Api(cast.manager)
    person = cast.person.public_id
    expected = {
        # Token auth is one query (the token with its member).
        "/one-on-ones": 3,
        # 11 + the comments agenda source (comms' comments_since: 2 queries).
        f"/meetings/{history['meeting'].public_id}": 13,
        "/development-objectives": 6,
        f"/people/{person}/skill-assessments": 5,  # +1: the evidence, prefetched
        "/feedback": 3,
    }
    ran = {}
    for path in expected:
        api.get(path)
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(path).status_code == 200
        ran[path] = len(ctx.captured_queries)
    assert ran == expected


@pytest.mark.django_db
def test_a_private_note_is_never_in_another_participants_api_answer(cast: Cast) -> None:
    _series, meeting = make_series(cast)
    services.save_private_note(actor=cast.person, meeting=meeting, body="ask for a raise")
    assert (
        "ask for a raise"
        not in Api(cast.manager).get(f"/meetings/{meeting.public_id}").content.decode()
    )


@pytest.mark.django_db
def test_a_one_on_one_series_answer_matches_its_openapi_schema(
    cast: Cast, in_process_wsgi: Any
) -> None:
    # schemathesis (scripts/api_conformance.sh as a member) found "09:30:00" documented as
    # JSON Schema's "time", which requires an offset: every validating client refused it.
    import schemathesis

    from okrcoach.api_v1 import api as api_v1

    series, _meeting = make_series(cast)
    schema = schemathesis.openapi.from_dict(api_v1.get_openapi_schema())
    schema.app = in_process_wsgi
    _token, raw = create_api_token(membership=cast.person, name="test")
    operation = schema["/api/v1/growth/one-on-ones/{series_id}"]["GET"]
    case = operation.Case(path_parameters={"series_id": str(series.public_id)})
    auth = {"Authorization": f"Bearer {raw}"}
    response = case.call(headers=auth)
    assert response.status_code == 200
    assert response.json()["start_time"] == series.start_time.isoformat()
    # Every check, the response schema's formats included.
    case.validate_response(response, headers=auth)
