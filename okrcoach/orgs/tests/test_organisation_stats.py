"""Home's head counts: active people, and managers (active people with an active report), cached
until a membership or team changes."""

from __future__ import annotations

from typing import Any

import pytest

from okrcoach.orgs import importing
from okrcoach.orgs.models import Team
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


def test_head_counts_are_cached_until_a_membership_or_team_changes(
    world: Any, django_assert_num_queries: Any
) -> None:
    first = organisation_stats(world.org)
    with django_assert_num_queries(0):
        assert organisation_stats(world.org) == first
    Team.objects.create(organisation=world.org, name="Night shift", slug="night-shift")
    with django_assert_num_queries(2):
        assert organisation_stats(world.org).teams == first.teams + 1
    world.member.delete()
    assert organisation_stats(world.org).people == first.people - 1


def test_head_counts_follow_a_people_import(world: Any, django_capture_on_commit_callbacks) -> None:
    before = organisation_stats(world.org)
    data = (
        b"email,full_name,title,role,team,manager_email\n"
        b"lead@acme.test,Lee Lead,Team Lead,member,Support,\n"
        b"ic@acme.test,Ira Contributor,Engineer,,Support,lead@acme.test\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        importing.import_people_csv(actor=world.admin, data=data)
    after = organisation_stats(world.org)
    assert (after.people, after.managers) == (before.people + 2, before.managers + 1)
