"""Every place that decides who may see a private objective must give the same answer.

The rule (okrs/permissions.py, and the label a user reads when choosing "private"): inside one
organisation, a public objective is visible to every member; a private one to its owner, the
owner's managers at any depth, admins and executives. Nobody sees another organisation's objectives.

It is encoded several times: the Python predicate `permissions.can_view_objective`, the queryset
filter `permissions.visible_q` behind the lookups (`selectors.lookups.get_objective`,
`selectors.lookups.get_key_result`, the quick check-in's
`selectors.check_in_row`) and lists (the company tree and its child
counts, team pages, My OKRs, grading, late check-ins, what is owed, alignment choices, the
export), and the reporting-line CTEs (`orgs.selectors.subtree_ids` down, `manager_chain` up).
For random small organisations this test asks all of them about every (viewer, objective) pair
and compares each answer with a plain reading of the rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import World
from okrcoach.okrs import permissions
from okrcoach.okrs.models import ContributionLink, Cycle, KeyResult, Objective
from okrcoach.okrs.selectors import accountability as accountability_selectors
from okrcoach.okrs.selectors import exporting as exporting_selectors
from okrcoach.okrs.selectors import lookups as lookups_selectors
from okrcoach.okrs.selectors import objective as objective_selectors
from okrcoach.okrs.selectors import pages as pages_selectors
from okrcoach.okrs.selectors import tree as tree_selectors
from okrcoach.okrs.selectors.check_in_row import check_in_row
from okrcoach.okrs.selectors.lookups import linkable_key_results
from okrcoach.okrs.services import alignment as alignment_services
from okrcoach.orgs import selectors as org_selectors
from okrcoach.orgs.models import Membership, Role, Team
from okrcoach.orgs.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    TeamFactory,
    company_team,
)

from .factories import CycleFactory, KeyResultFactory, ObjectiveFactory

ROLES = [Role.MEMBER, Role.MEMBER, Role.MEMBER, Role.ADMIN, Role.EXECUTIVE]

# (role, manager: 0 = none else an earlier person, team index, active)
people_specs = st.lists(
    st.tuples(
        st.sampled_from(ROLES),
        st.integers(0, 6),
        st.integers(0, 3),
        st.booleans() | st.just(True),
    ),
    min_size=1,
    max_size=7,
)
# (parent: an earlier team or the company, lead: -1 = none)
team_specs = st.lists(st.tuples(st.integers(0, 3), st.integers(-1, 6)), max_size=3)
ObjectiveSpec = tuple[int, int, str, bool, str, int, int, int, int]
# (owner, team -1 = none, level, private, status, parent -1 = none, contributor -1 = none,
#  key result owner -1 = the objective's owner, counts the key result of objective n: -1 = none)
objective_specs = st.lists(
    st.tuples(
        st.integers(0, 6),
        st.integers(-1, 3),
        st.sampled_from(Objective.Level.values),
        st.booleans(),
        st.sampled_from(Objective.Status.values),
        st.integers(-1, 5),
        st.integers(-1, 6),
        st.integers(-1, 6),
        st.integers(-1, 5),
    ),
    min_size=1,
    max_size=6,
)


@dataclass
class Org:
    people: list[Membership]
    teams: list[Team]
    cycle: Cycle
    objectives: list[Objective]
    krs: dict[int, KeyResult]  # objective pk -> its key result
    outsider: Membership


def _build(
    people: list[tuple[str, int, int, bool]],
    teams: list[tuple[int, int]],
    objectives: list[ObjectiveSpec],
    outsider_role: str,
) -> Org:
    org = OrganisationFactory()
    all_teams = [company_team(org)]
    for parent, _lead in teams:
        all_teams.append(TeamFactory(organisation=org, parent=all_teams[parent % len(all_teams)]))
    members: list[Membership] = []
    for i, (role, manager, team, active) in enumerate(people):
        members.append(
            MembershipFactory(
                organisation=org,
                role=role,
                # Managers come earlier: the reporting line stays a tree, as services keep it.
                manager=members[(manager - 1) % i] if manager and i else None,
                team=all_teams[team % len(all_teams)],
                is_active=active or i == 0,
            )
        )
    for team_obj, (_parent, lead) in zip(all_teams[1:], teams, strict=True):
        if lead >= 0:
            team_obj.lead = members[lead % len(members)]
            team_obj.save(update_fields=["lead"])
    cycle = CycleFactory(organisation=org, state=Cycle.State.ACTIVE)
    made: list[Objective] = []
    krs: dict[int, KeyResult] = {}
    for owner, team, level, private, status, parent, contributor, kr_owner, _link in objectives:
        objective = ObjectiveFactory(
            cycle=cycle,
            owner=members[owner % len(members)],
            team=all_teams[team % len(all_teams)] if team >= 0 else None,
            level=level,
            visibility=Objective.Visibility.PRIVATE if private else Objective.Visibility.PUBLIC,
            status=status,
            parent=made[parent % len(made)] if parent >= 0 and made else None,
        )
        if contributor >= 0:
            objective.contributors.set([members[contributor % len(members)]])
        krs[objective.pk] = KeyResultFactory.create(
            objective=objective,
            owner=members[kr_owner % len(members)] if kr_owner >= 0 else objective.owner,
            next_check_in_due=None,  # due and late: it shows on "owed" and "late" lists
        )
        made.append(objective)
    for counting, spec in zip(made, objectives, strict=True):
        counted = krs[made[spec[-1] % len(made)].pk]
        if spec[-1] >= 0 and counted.objective_id != counting.pk:
            ContributionLink.objects.create(
                organisation=org, objective=counting, key_result=counted, weight=1
            )
    outsider = MembershipFactory(organisation=OrganisationFactory(), role=outsider_role)
    return Org(members, all_teams, cycle, made, krs, outsider)


def _is_above(viewer: Membership, person: Membership, people: dict[int, Membership]) -> bool:
    manager_id = person.manager_id
    while manager_id is not None:
        if manager_id == viewer.pk:
            return True
        manager_id = people[manager_id].manager_id
    return False


def _rule(viewer: Membership, objective: Objective, people: dict[int, Membership]) -> bool:
    """The rule as a person would read it, from the generated rows alone."""
    if viewer.organisation_id != objective.organisation_id:
        return False
    if objective.visibility == Objective.Visibility.PUBLIC:
        return True
    if viewer.role in (Role.ADMIN, Role.EXECUTIVE) or objective.owner_id == viewer.pk:
        return True
    return _is_above(viewer, people[objective.owner_id], people)


def _found(lookup: Callable[[], object]) -> bool:
    try:
        lookup()
    except Http404:
        return False
    return True


def _tree(viewer: Membership) -> tuple[set[int], list[str]]:
    """Every node the company tree shows (expanding each), and child counts that disagree."""
    page = tree_selectors.company_page(viewer)
    shown: set[int] = set()
    problems: list[str] = []
    todo = [*page.roots, *page.orphans]
    while todo:
        node = todo.pop()
        shown.add(node.pk)
        children = tree_selectors.tree_children(viewer, node)
        if node.child_count != len(children):
            problems.append(
                f"tree child_count of {node.title}: {node.child_count} vs {len(children)}"
            )
        todo.extend(c for c in children if c.pk not in shown)
    return shown, problems


def _disagreements(world: Org) -> list[str]:
    people = {m.pk: m for m in world.people}
    by_title = {o.title: o for o in world.objectives}
    problems: list[str] = []
    for viewer in [*world.people, world.outsider]:
        who = f"{viewer.role} #{viewer.pk}"
        visible_ids = set(
            Objective.objects.for_org(viewer.organisation)
            .filter(permissions.visible_q(viewer))
            .values_list("pk", flat=True)
        )
        expected: set[int] = set()
        for o in world.objectives:
            rule = _rule(viewer, o, people)
            if rule:
                expected.add(o.pk)
            kr = world.krs[o.pk]
            answers = {
                "can_view_objective": permissions.can_view_objective(viewer, o),
                "for_org + visible_q": o.pk in visible_ids,
                "get_objective": _found(
                    partial(lookups_selectors.get_objective, viewer, o.public_id)
                ),
                "get_objective_for_page": _found(
                    partial(objective_selectors.get_objective_for_page, viewer, o.public_id)
                ),
                "get_key_result": _found(
                    partial(lookups_selectors.get_key_result, viewer, kr.public_id)
                ),
                "check_in_row": _found(partial(check_in_row, viewer, kr.public_id)),
            }
            if rule:
                # The quick check-in's row: the same right to check in as the pages' Reach.
                fast = check_in_row(viewer, kr.public_id).row.can_check_in
                slow = pages_selectors.key_result_row(viewer, kr.public_id).can_check_in
                if fast != slow:
                    problems.append(f"check_in_row({who}, {o.title}) can_check_in = {fast}")
            for name, answer in answers.items():
                if answer != rule:
                    problems.append(f"{name}({who}, {o.title} {o.visibility}) = {answer}")

        def check(
            name: str,
            shown: set[int],
            *,
            exact: set[int] | None = None,
            who: str = who,
            expected: set[int] = expected,
        ) -> None:
            names = sorted(o.title for o in world.objectives if o.pk in shown - expected)
            if names:
                problems.append(f"{name} shows {who} objectives they may not see: {names}")
            if exact is not None and shown != exact:
                problems.append(f"{name} for {who}: {sorted(shown)} != {sorted(exact)}")

        for o in world.objectives:
            if o.pk in expected:
                page = objective_selectors.objective_page(viewer, o)
                children = {c.pk for c in page.children}
                check(
                    f"objective_page({o.title}).children",
                    children,
                    exact={c.pk for c in world.objectives if c.parent_id == o.pk} & expected,
                )
                check(
                    f"objective_page({o.title}).links",
                    {link.objective_id for link in page.links},
                )
        live = {o.pk for o in world.objectives if o.status != Objective.Status.ABANDONED}
        check(
            "objective_choices",
            set(
                lookups_selectors.objective_choices(viewer, world.cycle).values_list(
                    "pk", flat=True
                )
            ),
            exact=expected & live,
        )
        rows = list(exporting_selectors.cycle_rows(viewer, world.cycle))
        title = rows[0].index("objective")
        check("export", {by_title[str(r[title])].pk for r in rows[1:]}, exact=expected)
        tree, tree_problems = _tree(viewer)
        problems.extend(f"{p} for {who}" for p in tree_problems)
        check("company tree", tree)
        for team in world.teams:
            team_page = pages_selectors.team_okrs_page(viewer, team)
            on_page = {c.objective.pk for c in [*team_page.team_cards, *team_page.personal_cards]}
            member_ids = {m.pk for m in world.people if m.team_id == team.pk}
            wanted = {
                o.pk
                for o in world.objectives
                if o.team_id == team.pk
                or (o.level == Objective.Level.PERSONAL and o.owner_id in member_ids)
            }
            check(f"team page {team.name}", on_page, exact=wanted & expected & live)
        check("my_okrs_page", {c.objective.pk for c in pages_selectors.my_okrs_page(viewer).cards})
        check(
            "grading_page",
            {c.objective.pk for c in pages_selectors.grading_page(viewer, world.cycle).cards},
        )
        check(
            "late_check_ins",
            {kr.objective_id for kr in accountability_selectors.late_check_ins(viewer)},
        )
        check(
            "owed_this_week",
            {kr.objective_id for kr in accountability_selectors.owed_this_week(viewer).check_ins},
        )
    # The reporting line, down (subtree_ids) and up (manager_chain), against the generated rows.
    for person in world.people:
        chain = {m.pk for m in org_selectors.manager_chain(person)}
        for viewer in world.people:
            above = _is_above(viewer, person, people)
            # reporting_subtree lists active people only; subtree_ids (behind visible_q) all.
            below = set(org_selectors.reporting_subtree(viewer).values_list("pk", flat=True))
            if (viewer.pk in chain) != above or (person.pk in below) != (
                above and person.is_active
            ):
                problems.append(f"reporting line: is #{viewer.pk} above #{person.pk}? {above}")
    return problems


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# One private objective of person 2, in a team led by person 0 (also a contributor), with a key
# result owned by person 1, who reports to person 0: none of them may see it. Person 0's public
# objective counts that key result.
@example(
    people=[(Role.MEMBER, 0, 0, True), (Role.MEMBER, 1, 0, True), (Role.MEMBER, 0, 0, True)],
    teams=[(0, 0)],
    objectives=[
        (2, 1, Objective.Level.TEAM, True, Objective.Status.PUBLISHED, -1, 0, 1, -1),
        (0, -1, Objective.Level.PERSONAL, False, Objective.Status.PUBLISHED, -1, -1, -1, 0),
    ],
    outsider_role=Role.ADMIN,
)
# A public objective, and a member of another organisation.
@example(
    people=[(Role.MEMBER, 0, 0, True)],
    teams=[],
    objectives=[
        (0, -1, Objective.Level.PERSONAL, False, Objective.Status.PUBLISHED, -1, -1, -1, -1)
    ],
    outsider_role=Role.MEMBER,
)
@given(
    people=people_specs,
    teams=team_specs,
    objectives=objective_specs,
    outsider_role=st.sampled_from([Role.MEMBER, Role.ADMIN, Role.EXECUTIVE]),
)
def test_every_encoding_of_private_visibility_gives_the_same_answer(
    people: list[tuple[str, int, int, bool]],
    teams: list[tuple[int, int]],
    objectives: list[ObjectiveSpec],
    outsider_role: str,
) -> None:
    with transaction.atomic():
        world = _build(people, teams, objectives, outsider_role)
        problems = _disagreements(world)
        transaction.set_rollback(True)
    assert not problems, "\n".join(problems)


def test_the_links_pages_hide_counted_key_results_of_objectives_the_viewer_may_not_see(
    world: World,
) -> None:
    cycle = CycleFactory(organisation=world.org)
    secret = KeyResultFactory(
        objective__cycle=cycle,
        objective__owner=world.peer,
        objective__visibility=Objective.Visibility.PRIVATE,
        title="Quietly renegotiate the Harbour contract",
    )
    mine = ObjectiveFactory(cycle=cycle, owner=world.member)
    ContributionLink.objects.create(
        organisation=world.org, objective=mine, key_result=secret, weight=1
    )
    viewer = Client()
    viewer.force_login(world.member.user)
    for name in ("objective_detail", "objective_links"):
        page = viewer.get(
            reverse(f"okrs:{name}", args=[world.org.slug, mine.public_id]), follow=True
        )
        assert page.status_code == 200
        assert "Harbour" not in page.content.decode(), name
    manager = Client()
    manager.force_login(world.manager.user)
    page = manager.get(reverse("okrs:objective_links", args=[world.org.slug, mine.public_id]))
    assert "Harbour" in page.content.decode()


def test_counting_a_key_result_of_an_objective_the_actor_may_not_see_is_refused(
    world: World,
) -> None:
    cycle = CycleFactory(organisation=world.org)
    secret = KeyResultFactory(
        objective__cycle=cycle,
        objective__owner=world.peer,
        objective__visibility=Objective.Visibility.PRIVATE,
    )
    mine = ObjectiveFactory(cycle=cycle, owner=world.member)
    assert not linkable_key_results(world.member, mine).filter(pk=secret.pk).exists()
    with pytest.raises(ValidationError) as info:
        alignment_services.link_contribution(actor=world.member, objective=mine, key_result=secret)
    assert "key_result" in info.value.message_dict
    assert not ContributionLink.objects.for_org(world.org).exists()
