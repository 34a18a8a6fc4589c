"""The index-friendly reporting-line filters (orgs/lines.py, okrs.permissions.visible_fast_q)
match the visibility rule and the recursive subtree they replace, and the manager panel of
someone who sees everything is bounded to their direct reports."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from okrcoach.insights import dashboards
from okrcoach.okrs.models import KeyResult, Objective
from okrcoach.okrs.permissions import visible_fast_q, visible_q
from okrcoach.okrs.tests.factories import KeyResultFactory, ObjectiveFactory
from okrcoach.orgs.lines import in_direct, in_line
from okrcoach.orgs.selectors import subtree_ids

pytestmark = pytest.mark.django_db


def _ids(qs: Any) -> set[int]:
    return set(qs.values_list("pk", flat=True))


def test_the_fast_filters_select_the_same_rows(world: Any, okr_world: dict[str, Any]) -> None:
    secret = ObjectiveFactory(
        cycle=okr_world["cycle"], owner=world.peer, visibility=Objective.Visibility.PRIVATE
    )
    KeyResultFactory(objective=secret, owner=world.member)  # a report's key result, peer's goal
    krs = KeyResult.objects.for_org(world.org)
    people = (world.member, world.peer, world.manager, world.executive, world.admin)
    for actor in people:
        assert _ids(krs.filter(visible_fast_q(actor, "objective__"))) == _ids(
            krs.filter(visible_q(actor, "objective__"))
        ), actor
        below = _ids(krs.filter(owner__in=subtree_ids(actor)))
        assert _ids(krs.filter(in_line("owner", actor, include_self=False))) == below
        mine = _ids(krs.filter(owner=actor))
        assert _ids(krs.filter(in_line("owner", actor))) == below | mine
        direct = _ids(krs.filter(owner__manager=actor))
        assert _ids(krs.filter(in_direct("owner", actor))) == direct | mine
    # The peer's private objective stays hidden from the member who owns a key result in it.
    assert secret.key_results.first().pk not in _ids(
        krs.filter(visible_fast_q(world.member, "objective__"))
    )


def test_the_manager_panel_of_an_executive_covers_their_direct_reports(
    world: Any, okr_world: dict[str, Any]
) -> None:
    today = timezone.localdate()
    cycle = okr_world["cycle"]
    published = KeyResult.objects.for_org(world.org).filter(
        objective__cycle=cycle, objective__status=Objective.Status.PUBLISHED
    )
    panel = dashboards.manager_dashboard(world.executive, cycle, today)
    assert sum(panel.quality.values()) == published.filter(owner=world.manager).count()
    assert panel.direct_only
    # A manager who does not see everything keeps their whole line.
    panel = dashboards.manager_dashboard(world.manager, cycle, today)
    line = published.filter(owner__in=[world.member.pk, world.peer.pk])
    assert sum(panel.quality.values()) == line.count() > 0


def test_behind_q_selects_the_pace_statuses_it_names(world: Any, okr_world: dict[str, Any]) -> None:
    from okrcoach.okrs.selectors.pace import behind_q

    today = timezone.localdate()
    cycle = okr_world["cycle"]
    krs = dashboards.cycle_krs(world.admin, cycle, today)
    worse = _ids(krs.filter(pace__in=["at_risk", "off_track"]))
    assert worse and worse != _ids(krs)
    assert _ids(krs.filter(behind_q(cycle, today))) == worse
    off = _ids(krs.filter(pace="off_track"))
    assert _ids(krs.filter(behind_q(cycle, today, off_track_only=True))) == off
