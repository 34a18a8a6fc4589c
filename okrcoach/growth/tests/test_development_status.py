"""Development OKRs are marked done or dropped (and reopened) with a date and a note: on the
page, in the list, in the evidence pack and through the API. Never a grade."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from okrcoach.core.models import AuditEvent
from okrcoach.growth import services
from okrcoach.growth.models import DevelopmentKeyResult, DevelopmentObjective

from .conftest import Cast
from .test_api import Api

NOTE = "Ran the route review twice on my own; the second went well."


def _objective(cast: Cast) -> DevelopmentObjective:
    return services.create_development_objective(
        actor=cast.person,
        person=cast.person,
        title="Lead a route review on my own",
        starts_on=timezone.localdate() - timedelta(days=10),
        ends_on=timezone.localdate() + timedelta(days=80),
        key_results=["Run two reviews with the dispatch team"],
    )


def _client(who: Any) -> Client:
    client = Client()
    client.force_login(who.user)
    return client


@pytest.mark.django_db
def test_marking_done_records_the_date_and_note_and_freezes_progress(cast: Cast) -> None:
    objective = _objective(cast)
    kr = objective.key_results.get()
    services.set_development_status(
        actor=cast.person, objective=objective, status="done", note=f"  {NOTE} "
    )
    objective.refresh_from_db()
    assert (objective.status, objective.status_changed_on, objective.status_note) == (
        "done",
        timezone.localdate(),
        NOTE,
    )
    with pytest.raises(ValidationError) as refused:
        services.record_development_progress(actor=cast.person, key_result=kr, progress=80)
    assert "progress" in refused.value.message_dict
    with pytest.raises(ValidationError) as again:
        services.set_development_status(actor=cast.person, objective=objective, status="dropped")
    assert "status" in again.value.message_dict
    assert DevelopmentKeyResult.objects.get(pk=kr.pk).progress == 0  # nothing written
    # The note can be personal: the audit row names the status only.
    event = AuditEvent.objects.filter(action="growth.development_objective.status_set").get()
    assert NOTE not in str(event.data)


@pytest.mark.django_db
def test_a_dropped_goal_is_reopened_and_takes_progress_again(cast: Cast) -> None:
    objective = _objective(cast)
    services.set_development_status(
        actor=cast.manager, objective=objective, status="dropped", note="Team changed"
    )
    services.set_development_status(
        actor=cast.person, objective=objective, status="active", note="Back on"
    )
    objective.refresh_from_db()
    assert (objective.status, objective.status_note) == ("active", "Back on")
    services.record_development_progress(
        actor=cast.person, key_result=objective.key_results.get(), progress=40
    )
    with pytest.raises(ValidationError):  # already active
        services.set_development_status(actor=cast.person, objective=objective, status="active")


@pytest.mark.django_db
def test_the_skip_level_manager_reads_but_cannot_close(cast: Cast) -> None:
    objective = _objective(cast)
    with pytest.raises(PermissionDenied):
        services.set_development_status(actor=cast.skip, objective=objective, status="done")
    objective.refresh_from_db()
    assert objective.status == "active"


@pytest.mark.django_db
def test_the_page_list_and_evidence_pack_show_the_status_date_and_note(cast: Cast) -> None:
    objective = _objective(cast)
    slug = cast.world.org.slug
    url = reverse("growth:development_status", args=[slug, objective.public_id])
    response = _client(cast.person).post(url, {"status": "done", "note": NOTE})
    assert response.status_code == 302
    day = timezone.localdate().strftime("%-d %b %Y")
    page = _client(cast.manager).get(
        reverse("growth:development", args=[slug, objective.public_id])
    )
    html = page.content.decode()
    assert f"Marked done on {day}." in html and NOTE in html
    assert ">Reopen<" in html and "Update<" not in html  # no progress form once done
    listing = (
        _client(cast.manager)
        .get(reverse("growth:development_list", args=[slug, cast.person.public_id]))
        .content.decode()
    )
    assert ">Done<" in listing and f"since {day}" in listing and NOTE in listing
    pack = (
        _client(cast.admin)
        .get(reverse("growth:evidence_pack", args=[slug, cast.person.public_id]))
        .content.decode()
    )
    assert ">Done<" in pack and NOTE in pack


@pytest.mark.django_db
def test_a_refused_status_change_says_why_on_the_page(cast: Cast) -> None:
    objective = _objective(cast)
    url = reverse("growth:development_status", args=[cast.world.org.slug, objective.public_id])
    response = _client(cast.person).post(url, {"status": "active", "note": ""})
    assert response.status_code == 200
    assert "already active" in response.content.decode()


@pytest.mark.django_db
def test_status_through_the_api(cast: Cast) -> None:
    objective = _objective(cast)
    path = f"/development-objectives/{objective.public_id}/status"
    assert Api(cast.peer).send("post", path, {"status": "done"}).status_code == 403
    bad = Api(cast.person).send("post", path, {"status": "graded"})
    assert bad.status_code == 422 and bad.json()["field"] == "status"
    objective.refresh_from_db()
    assert objective.status == "active"  # nothing written
    done = Api(cast.person).send("post", path, {"status": "dropped", "note": "Priorities moved"})
    assert done.status_code == 200
    body = done.json()
    assert body["status"] == "dropped"
    assert body["status_changed_on"] == timezone.localdate().isoformat()
    assert body["status_note"] == "Priorities moved"
