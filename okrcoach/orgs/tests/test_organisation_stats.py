"""Home's head counts: active people, and managers (active people with an active report)."""

from __future__ import annotations

from typing import Any

import pytest

from okrcoach.orgs.selectors import organisation_stats

pytestmark = pytest.mark.django_db


def test_head_counts_count_active_people_and_managers_of_active_reports(world: Any) -> None:
    stats = organisation_stats(world.org)
    assert (stats.people, stats.managers) == (5, 2)  # the executive and the manager
    world.member.is_active = False
    world.member.save(update_fields=["is_active"])
    assert organisation_stats(world.org).managers == 2  # the peer still reports
    world.peer.is_active = False
    world.peer.save(update_fields=["is_active"])
    stats = organisation_stats(world.org)
    assert (stats.people, stats.managers) == (3, 1)
