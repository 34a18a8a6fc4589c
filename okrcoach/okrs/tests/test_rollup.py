"""The incremental roll-up after each check-in must agree with a full recompute."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import World
from okrcoach.okrs import rollup
from okrcoach.okrs.models import ContributionLink, KeyResult, Objective
from okrcoach.okrs.services.check_ins import CheckInData, record_check_in

from .factories import CycleFactory, KeyResultFactory, ObjectiveFactory

trees = st.lists(st.integers(min_value=-1, max_value=30), min_size=1, max_size=10)
kr_specs = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=9),  # objective index
        st.sampled_from(["increase", "decrease"]),
        st.integers(min_value=1, max_value=5),  # weight
    ),
    min_size=1,
    max_size=12,
)
check_ins = st.lists(
    st.tuples(st.integers(min_value=0, max_value=11), st.integers(min_value=-50, max_value=250)),
    min_size=1,
    max_size=12,
)
links = st.lists(st.tuples(st.integers(0, 9), st.integers(0, 11), st.integers(1, 3)), max_size=4)


def _key_results_and_links(
    world: World,
    objectives: list[Objective],
    specs: list[tuple[int, str, int]],
    link_specs: list[tuple[int, int, int]],
    *,
    valued: bool = False,
) -> list[KeyResult]:
    """The property tests' key results (spread over the objectives; `valued`: each with a
    current value) and their contribution links to other objectives."""
    krs: list[KeyResult] = []
    for index, direction, weight in specs:
        baseline, target = (D(0), D(200)) if direction == "increase" else (D(200), D(0))
        extra = {"current_value": D(len(krs) * 17 % 200)} if valued else {}
        krs.append(
            KeyResultFactory(
                objective=objectives[index % len(objectives)],
                direction=direction,
                baseline=baseline,
                target=target,
                weight=D(weight),
                **extra,
            )
        )
    for o_index, k_index, weight in link_specs:
        objective, kr = objectives[o_index % len(objectives)], krs[k_index % len(krs)]
        if kr.objective_id != objective.pk:
            ContributionLink.objects.get_or_create(
                organisation=world.org,
                objective=objective,
                key_result=kr,
                defaults={"weight": D(weight)},
            )
    return krs


def _snapshot(world: World) -> dict[int, D]:
    return dict(Objective.objects.for_org(world.org).values_list("pk", "progress"))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    parents=trees,
    specs=kr_specs,
    updates=check_ins,
    link_specs=links,
    include_children=st.booleans(),
)
def test_incremental_roll_up_equals_full_recompute(
    world: World,
    parents: list[int],
    specs: list[tuple[int, str, int]],
    updates: list[tuple[int, int]],
    link_specs: list[tuple[int, int, int]],
    include_children: bool,
) -> None:
    with transaction.atomic():
        world.org.rollup_includes_children = include_children
        world.org.save()
        cycle = CycleFactory(organisation=world.org)
        objectives: list[Objective] = []
        for i, p in enumerate(parents):
            # A parent index always points to an earlier objective: the tree stays acyclic.
            parent = objectives[p % i] if i and p >= 0 else None
            objectives.append(
                ObjectiveFactory(
                    cycle=cycle, owner=world.member, parent=parent, weight=D(1 + i % 3)
                )
            )
        krs = _key_results_and_links(world, objectives, specs, link_specs)
        rollup.recompute_organisation(world.org)
        for k_index, value in updates:
            kr = (
                KeyResult.objects.for_org(world.org)
                .select_related("objective__cycle", "objective__team", "owner")
                .get(pk=krs[k_index % len(krs)].pk)
            )
            record_check_in(
                actor=world.member, key_result=kr, data=CheckInData(value=D(value), confidence=5)
            )
        incremental = _snapshot(world)
        assert rollup.recompute_organisation(world.org) == (0, 0)
        assert _snapshot(world) == incremental
        transaction.set_rollback(True)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    parents=trees,
    order=st.permutations(range(10)),
    specs=kr_specs,
    link_specs=links,
    include_children=st.booleans(),
    stale=st.lists(st.integers(min_value=0, max_value=100), min_size=22, max_size=22),
    batch=st.integers(min_value=1, max_value=4),
)
def test_a_recompute_in_batches_leaves_what_one_pass_leaves(
    world: World,
    parents: list[int],
    order: list[int],
    specs: list[tuple[int, str, int]],
    link_specs: list[tuple[int, int, int]],
    include_children: bool,
    stale: list[int],
    batch: int,
) -> None:
    """rollup._RECOMPUTE_IN_BATCHES: from stored progress that is off everywhere (key results
    and objectives), batches of 1 to 4 rows leave every row as one batch of all does, whatever
    the primary keys of parents and children (a parent may come after its child)."""
    with transaction.atomic():
        world.org.rollup_includes_children = include_children
        world.org.save()
        cycle = CycleFactory(organisation=world.org)
        objectives = [
            ObjectiveFactory(cycle=cycle, owner=world.member, weight=D(1 + i % 3))
            for i in range(len(parents))
        ]
        # The tree in the permutation's order: a parent always comes earlier in it (acyclic).
        ranked = sorted(range(len(parents)), key=order.index)
        for position, i in enumerate(ranked):
            if position and parents[i] >= 0:
                objectives[i].parent = objectives[ranked[parents[i] % position]]
                objectives[i].save(update_fields=["parent"])
        krs = _key_results_and_links(world, objectives, specs, link_specs, valued=True)

        def spoil() -> None:
            for n, kr in enumerate(krs):
                KeyResult.objects.for_org(world.org).filter(pk=kr.pk).update(
                    progress=D(stale[n]) / 100, progress_raw=D(stale[n]) / 100
                )
            for n, objective in enumerate(objectives):
                Objective.objects.for_org(world.org).filter(pk=objective.pk).update(
                    progress=D(stale[12 + n]) / 100
                )

        def stored() -> tuple[dict[int, D], dict[int, D]]:
            return (
                dict(KeyResult.objects.for_org(world.org).values_list("pk", "progress")),
                _snapshot(world),
            )

        spoil()
        one_pass = rollup.recompute_organisation(world.org, batch=1000)
        expected = stored()
        spoil()
        assert rollup.recompute_organisation(world.org, batch=batch) == one_pass
        assert stored() == expected
        assert rollup.recompute_organisation(world.org, batch=batch) == (0, 0)
        transaction.set_rollback(True)


def test_recompute_progress_command_repairs_cached_progress(world: World) -> None:
    kr = KeyResultFactory(
        objective__cycle__organisation=world.org,
        objective__owner=world.member,
        current_value=D(30),
    )
    call_command("recompute_progress")
    kr.refresh_from_db()
    objective = Objective.objects.for_org(world.org).get(pk=kr.objective_id)
    assert (kr.progress, objective.progress) == (D("0.3"), D("0.3"))


@pytest.mark.parametrize("command", ["recompute_progress", "recoach"])
def test_maintenance_commands_refuse_an_unknown_organisation(world: World, command: str) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no-such-org"):
        call_command(command, "--org", "no-such-org")


def test_the_walks_up_the_alignment_chain_are_never_prepared(world: World) -> None:
    """PostgreSQL's generic plan for them read every objective of a large organisation inside
    the check-in's transaction (rollup._ANCESTORS_PLANNED_EACH_TIME): psycopg must not prepare
    them, however often they run, while it still prepares other statements."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    world.org.rollup_includes_children = True
    world.org.save(update_fields=["rollup_includes_children"])
    parent = ObjectiveFactory(cycle__organisation=world.org, owner=world.member)
    kr = KeyResultFactory(
        objective__cycle=parent.cycle, objective__owner=world.member, objective__parent=parent
    )
    for value in range(8):
        row = (
            KeyResult.objects.for_org(world.org)
            .select_related("objective__cycle", "objective__team", "owner")
            .get(pk=kr.pk)
        )
        record_check_in(
            actor=world.member, key_result=row, data=CheckInData(value=D(value), confidence=5)
        )
        rollup.refresh_objectives(world.org, objective_ids=[kr.objective_id])
        assert rollup.ancestor_ids(world.org, kr.objective_id) == {kr.objective_id, parent.pk}
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert prepared  # psycopg prepares the rest
    assert not [s for s in prepared if "WITH RECURSIVE up" in s]
