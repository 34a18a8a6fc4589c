"""Objective status changes in the activity feeds (objective, team, organisation) and in the
digest's "what changed in your team": pace moving between on track, at risk and off track, a
grade, abandonment, the cycle closing. A private objective's lines show only to those who may
see it, and never in the digest's team section."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from conftest import World
from okrcoach.comms import digest
from okrcoach.comms.models import FeedEntry
from okrcoach.okrs.models import Cycle, KeyResult, Objective
from okrcoach.okrs.services.check_ins import CheckInData, record_check_in
from okrcoach.okrs.services.cycles import advance_cycle
from okrcoach.okrs.services.grading import grade_key_result
from okrcoach.okrs.services.objectives import ObjectiveData, update_objective
from okrcoach.okrs.tests.factories import KeyResultFactory

from .helpers import objective

pytestmark = pytest.mark.django_db


def _page(person: object, url: str) -> str:
    client = Client()
    client.force_login(person.user)
    response = client.get(url)
    assert response.status_code == 200, url
    return str(response.content.decode())


def _check_in(actor: object, kr: KeyResult, value: int, confidence: int) -> None:
    record_check_in(
        actor=actor,
        key_result=KeyResult.objects.for_org(kr.organisation)
        .select_related("objective__cycle", "objective__organisation", "owner")
        .get(pk=kr.pk),
        data=CheckInData(value=Decimal(value), confidence=confidence),
    )


def _status_lines(world: World) -> list[str]:
    return list(
        FeedEntry.objects.for_org(world.org)
        .filter(verb=FeedEntry.Verb.STATUS)
        .order_by("created_at", "pk")
        .values_list("detail", flat=True)
    )


def test_a_check_in_that_moves_the_objective_adds_a_status_line_to_the_three_feeds(
    world: World,
) -> None:
    goal = objective(world.member, team=world.team, title="Customers get answers the same day")
    kr = KeyResultFactory(objective=goal)
    _check_in(world.member, kr, 70, 8)  # never checked in (off track) → on track
    _check_in(world.member, kr, 72, 8)  # still on track: no line
    _check_in(world.member, kr, 72, 5)  # confidence 5/10: at risk
    assert _status_lines(world) == ["Off track → On track", "On track → At risk"]
    for url in (
        reverse("comms:feed", args=["acme"]),
        reverse("comms:team_feed", args=["acme", world.team.public_id]),
        reverse("comms:target_feed", args=["acme", "objective", goal.public_id]),
    ):
        page = _page(world.peer, url)
        assert "changed the status of" in page and "On track → At risk" in page


def test_a_private_objectives_status_lines_show_only_to_those_who_may_see_it(
    world: World,
) -> None:
    secret = objective(world.member, private=True, team=world.team, title="Quiet office move")
    kr = KeyResultFactory(objective=secret)
    _check_in(world.member, kr, 70, 8)
    _check_in(world.member, kr, 70, 2)
    org_feed = reverse("comms:feed", args=["acme"])
    team_feed = reverse("comms:team_feed", args=["acme", world.team.public_id])
    for url in (org_feed, team_feed):
        assert "Quiet office move" not in _page(world.peer, url)
        assert "On track → Off track" in _page(world.manager, url)  # her report's objective
    target = reverse("comms:target_feed", args=["acme", "objective", secret.public_id])
    client = Client()
    client.force_login(world.peer.user)
    assert client.get(target).status_code == 404


@override_settings(SITE_URL="https://okr.example.test")
def test_the_digest_team_section_has_status_changes_but_never_a_private_ones(
    world: World,
) -> None:
    public = objective(world.manager, team=world.team, title="Support backlog under fifty")
    secret = objective(world.manager, private=True, team=world.team, title="Reorganise quietly")
    for goal in (public, secret):
        kr = KeyResultFactory(objective=goal)
        _check_in(world.manager, kr, 70, 8)
        _check_in(world.manager, kr, 70, 5)
    digest.send_weekly_digests(organisation_id=world.org.pk, today=dt.date.today())
    peer = next(m for m in mail.outbox if m.to == ["pat@acme.test"])
    html = str(peer.alternatives[0][0])
    for text in (str(peer.body), html):
        assert "What changed in your team" in text
        assert "Changed the status of: Support backlog under fifty" in text
        assert "On track → At risk" in text
        assert "Reorganise quietly" not in text


def test_grading_abandoning_and_closing_are_status_lines(world: World) -> None:
    goal = objective(world.member, team=world.team, title="Fewer repeat tickets")
    kr = KeyResultFactory(objective=goal)
    _check_in(world.member, kr, 40, 7)
    other = objective(world.member, team=world.team, cycle=goal.cycle, title="Try a new channel")
    KeyResultFactory(objective=other)
    loaded = Objective.objects.for_org(world.org).select_related("cycle").get(pk=other.pk)
    update_objective(
        actor=world.member,
        objective=loaded,
        version=loaded.version,
        data=ObjectiveData(
            title=loaded.title,
            level=loaded.level,
            team=world.team,
            owner=world.member,
            status=Objective.Status.ABANDONED,
        ),
    )
    cycle = Cycle.objects.for_org(world.org).get(pk=goal.cycle_id)
    advance_cycle(actor=world.admin, cycle=cycle, to_state=Cycle.State.GRADING)
    grade_key_result(
        actor=world.member,
        key_result=KeyResult.objects.for_org(world.org)
        .select_related("objective__cycle")
        .get(pk=kr.pk),
        score=Decimal("0.5"),
        reason="Half the repeat tickets came from one customer",
    )
    advance_cycle(actor=world.admin, cycle=cycle, to_state=Cycle.State.CLOSED)
    lines = list(
        FeedEntry.objects.for_org(world.org)
        .filter(target_kind="objective")
        .values_list("title", "verb", "detail")
    )
    assert ("Try a new channel", "status", "Published → Abandoned") in lines
    assert ("Fewer repeat tickets", "graded", "Objective score 0.50") in lines
    assert ("Fewer repeat tickets", "status", "Closed with score 0.50") in lines
    # The abandoned objective gets no "closed" line.
    assert not any(t == "Try a new channel" and d.startswith("Closed") for t, _v, d in lines)
    page = _page(world.peer, reverse("comms:feed", args=["acme"]))
    assert "Closed with score 0.50" in page and "Published → Abandoned" in page
