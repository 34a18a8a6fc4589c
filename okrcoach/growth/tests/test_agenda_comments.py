"""The 1:1 agenda's "new comments" source (growth reads comms' selector): comments since the
last meeting on the report's objectives and key results, never on a private objective the
viewer may not see, never deleted ones, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
from django.utils import timezone

from conftest import World
from okrcoach.comms import services, targets
from okrcoach.comms.models import Comment
from okrcoach.growth import agenda
from okrcoach.growth.agenda_comments import new_comments
from okrcoach.okrs.models import KeyResult, Objective
from okrcoach.okrs.tests.factories import CycleFactory, KeyResultFactory, ObjectiveFactory
from okrcoach.orgs.models import Membership

pytestmark = pytest.mark.django_db


def _kr(owner: Membership, title: str, *, private: bool = False) -> KeyResult:
    visibility = Objective.Visibility.PRIVATE if private else Objective.Visibility.PUBLIC
    goal = ObjectiveFactory(
        cycle=CycleFactory(organisation=owner.organisation),
        owner=owner,
        title=title,
        visibility=visibility,
    )
    return cast(KeyResult, KeyResultFactory(objective=goal))


def _comment(author: Membership, kr: KeyResult, body: str) -> Comment:
    target = targets.resolve(author, "key_result", kr.public_id)
    return services.post_comment(actor=author, target=target, body=body)


def test_new_comments_on_the_reports_okrs_come_up_on_the_agenda(world: World) -> None:
    mine = _kr(world.member, "Cut first-reply time")
    elsewhere = _kr(world.peer, "Peer's own objective")
    old = _comment(world.peer, mine, "An old remark")
    Comment.objects.for_org(world.org).filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=10)
    )
    since = timezone.now() - dt.timedelta(days=7)
    _comment(world.peer, mine, "Numbers look better this week")
    gone = _comment(world.peer, mine, "Oops, wrong place")
    services.delete_comment(actor=world.peer, comment=gone)
    _comment(world.executive, mine, "Can we share this at the all-hands?")
    _comment(world.member, elsewhere, "Not about the report's OKRs")
    [suggestion] = new_comments(world.manager, world.member, since, timezone.localdate())
    assert suggestion.source == "comments"
    assert "2 new comment(s) on “Cut first-reply time”" in suggestion.text
    assert "latest from Eve Executive: “Can we share this at the all-hands?”" in suggestion.text
    assert suggestion.link.startswith(f"/o/acme/comments/key_result/{mine.public_id}/#comment-")
    # Registered by growth's AppConfig: the agenda includes it.
    texts = [
        s.text for s in agenda.suggestions(world.manager, world.member, since, dt.date.today())
    ]
    assert suggestion.text in texts


def test_a_private_objective_stays_off_the_agenda_of_someone_who_may_not_see_it(
    world: World,
) -> None:
    secret = _kr(world.member, "Quiet vendor switch", private=True)
    since = timezone.now() - dt.timedelta(days=7)
    _comment(world.member, secret, "Draft terms attached")
    assert new_comments(world.peer, world.member, since, timezone.localdate()) == []
    [seen] = new_comments(world.manager, world.member, since, timezone.localdate())
    assert "Quiet vendor switch" in seen.text


@pytest.mark.parametrize("count", [2, 12])
def test_the_source_runs_two_queries_whatever_the_number_of_comments(
    world: World, count: int, django_assert_num_queries: Any
) -> None:
    since = timezone.now() - dt.timedelta(days=7)
    for i in range(count):
        _comment(world.peer, _kr(world.member, f"Objective {i}"), f"note {i}")
    # the report's objectives the viewer may see, their new comments (authors joined)
    with django_assert_num_queries(2):
        found = new_comments(world.manager, world.member, since, timezone.localdate())
    assert len(found) == count
