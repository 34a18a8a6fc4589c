"""core/prepared.py: a queryset compiled once and run again with other ids gives what the ORM
gives for those ids (instances, select_related objects, annotations, tuples), and refuses a
builder whose SQL or parameters do not follow its ids. Then the two pages built on it: a
write shows on the next read, and an outsider's rows never come through."""

from __future__ import annotations

import re
from typing import Any, cast

import pytest
from django.db import connection
from django.db.models import Value

from conftest import World
from okrcoach.core.prepared import Prepared
from okrcoach.okrs.models import Cycle, KeyResult, Objective
from okrcoach.okrs.selectors import pages
from okrcoach.orgs.models import Membership

from .factories import KeyResultFactory, ObjectiveFactory


def _by_owner(_shape: object, *, org_id: int, owner_ids: list[int]) -> Any:
    return (
        Objective.objects.for_org(org_id)
        .filter(owner_id__in=owner_ids)
        .select_related("owner__user", "team")
        .annotate(flag=Value(True))
        .order_by("pk")
    )


def _snapshot(o: Objective) -> tuple[Any, ...]:
    return (
        tuple(getattr(o, f.attname) for f in Objective._meta.concrete_fields),
        o.owner.pk,
        o.owner.user.full_name,
        o.team.name if o.team is not None else None,
        o.flag,
        o._state.adding,
        o._state.db,
    )


def test_prepared_rows_are_the_orms_for_every_call(world: World, cycle: Cycle) -> None:
    ObjectiveFactory(cycle=cycle, owner=world.member, team=world.team)
    ObjectiveFactory(cycle=cycle, owner=world.peer)
    ObjectiveFactory(cycle=cycle, owner=world.manager, team=world.team)
    prepared = Prepared(Objective, _by_owner)
    three = [world.member.pk, world.peer.pk, world.manager.pk]  # padded to four ids
    for owners in ([world.member.pk], [world.peer.pk, world.manager.pk], three, [world.admin.pk]):
        got = prepared(org_id=world.org.pk, owner_ids=owners)
        want = list(_by_owner((), org_id=world.org.pk, owner_ids=owners))
        assert [_snapshot(o) for o in got] == [_snapshot(o) for o in want]
    assert len(_by_owner((), org_id=world.org.pk, owner_ids=three)) == 3
    # another organisation's id gives that organisation's rows, none of ours
    assert prepared(org_id=world.other_org.pk, owner_ids=[world.member.pk]) == []


def test_values_list_comes_out_as_tuples(world: World, cycle: Cycle) -> None:
    made = ObjectiveFactory(cycle=cycle, owner=world.member)
    prepared = Prepared(
        Objective,
        lambda _s, *, org_id, owner_id: (
            Objective.objects.for_org(org_id).filter(owner_id=owner_id).values_list("pk", "title")
        ),
    )
    assert prepared(org_id=world.org.pk, owner_id=world.member.pk) == [(made.pk, made.title)]


def test_a_public_id_or_a_string_key_finds_the_row_the_orm_finds(
    world: World, cycle: Cycle
) -> None:
    made = ObjectiveFactory(cycle=cycle, owner=world.member)
    other = ObjectiveFactory(cycle=cycle, owner=world.peer, title="Another")
    by_public_id = Prepared(
        Objective,
        lambda _s, *, org_id, public_id: (
            Objective.objects.for_org(org_id).filter(public_id=public_id).values_list("pk")
        ),
    )
    by_title = Prepared(
        Objective,
        lambda _s, *, org_id, title: (
            Objective.objects.for_org(org_id).filter(title=title).values_list("pk")
        ),
    )
    for o in (made, other):
        assert by_public_id(org_id=world.org.pk, public_id=o.public_id) == [(o.pk,)]
        assert by_title(org_id=world.org.pk, title=o.title) == [(o.pk,)]
    # the same key in another organisation finds nothing
    assert by_public_id(org_id=world.other_org.pk, public_id=made.public_id) == []
    assert by_title(org_id=world.org.pk, title="Nobody wrote this") == []


def test_a_builder_whose_sql_follows_the_values_is_refused(world: World) -> None:
    # The SQL changes with the id's parity: the two stand-ins used when preparing differ in it.
    def by_parity(_s: object, *, org_id: int) -> Any:
        qs = Objective.objects.all()
        return qs.filter(pk=org_id) if org_id % 2 else qs.filter(pk__lt=org_id)

    with pytest.raises(ValueError, match="depends on the ids"):
        Prepared(Objective, by_parity)(org_id=world.org.pk)


def test_an_id_that_does_not_reach_the_query_as_passed_is_refused(world: World) -> None:
    # The id reaches the SQL changed (minus one): it would be sent as the stand-in's.
    def shifted(_s: object, *, org_id: int) -> Any:
        return Objective.objects.filter(organisation_id=org_id - 1)

    with pytest.raises(ValueError, match="whole parameter"):
        Prepared(Objective, shifted)(org_id=world.org.pk)


# --- the pages built on it ---------------------------------------------------------------------


def _card_titles(actor: Membership) -> list[str]:
    return [c.objective.title for c in pages.my_okrs_page(actor).cards]


def test_my_okrs_shows_an_edit_and_a_new_key_result_on_the_next_read(
    world: World, cycle: Cycle
) -> None:
    objective = cast(
        Objective, ObjectiveFactory(cycle=cycle, owner=world.member, title="Ship the first route")
    )
    assert _card_titles(world.member) == ["Ship the first route"]
    objective.title = "Ship the second route"
    objective.save()
    KeyResultFactory(objective=objective, title="Two depots open")
    page = pages.my_okrs_page(world.member)
    assert [c.objective.title for c in page.cards] == ["Ship the second route"]
    assert [r.kr.title for r in page.cards[0].rows] == ["Two depots open"]
    assert page.cards[0].objective.cycle is cycle or page.cards[0].objective.cycle == cycle


def test_team_page_hides_a_private_objective_from_a_peer_but_not_from_the_manager(
    world: World, cycle: Cycle
) -> None:
    ObjectiveFactory(
        cycle=cycle,
        owner=world.member,
        visibility=Objective.Visibility.PRIVATE,
        title="Private plan of the member",
    )
    for viewer, sees in ((world.peer, False), (world.manager, True), (world.admin, True)):
        page = pages.team_okrs_page(viewer, world.team)
        titles = [c.objective.title for c in page.personal_cards]
        assert ("Private plan of the member" in titles) is sees, viewer


def test_a_card_hides_a_parent_the_reader_may_not_see(world: World, cycle: Cycle) -> None:
    secret = ObjectiveFactory(
        cycle=cycle, owner=world.admin, visibility=Objective.Visibility.PRIVATE
    )
    child = ObjectiveFactory(cycle=cycle, owner=world.member, parent=secret)
    KeyResultFactory(objective=child)
    card = pages.my_okrs_page(world.member).cards[0]
    assert card.objective.parent_id == secret.pk
    assert card.objective.parent is None  # as visible_to hides it: no query, no title
    assert card.rows[0].kr.objective is card.objective
    assert KeyResult.objects.filter(objective=child).count() == 1


def test_generic_plan_false_is_never_prepared_on_postgresql(world: World, cycle: Cycle) -> None:
    """A query whose plan must follow the tenant is planned with its ids every run; the others
    are prepared by psycopg (server-side binding) after a few runs."""

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    ObjectiveFactory(cycle=cycle, owner=world.member)
    planned = Prepared(Objective, _by_owner, generic_plan=False)
    reused = Prepared(Objective, _by_owner)
    for _ in range(8):
        assert len(planned(org_id=world.org.pk, owner_ids=[world.member.pk, world.peer.pk])) == 1
        assert len(reused(org_id=world.org.pk, owner_ids=[world.member.pk])) == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert connection.connection.prepare_threshold is not None  # put back
    statements = [s for s in prepared if '"okrs_objective"."owner_id" IN' in s]
    assert len(statements) == 1  # the one-id form only
    assert re.search(r'"owner_id" IN \(\$\d+\)', statements[0])
