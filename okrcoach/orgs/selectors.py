"""Reads for people and teams. Each returns a shaped queryset or a page object; none runs a query
per row."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from functools import cache as once
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import connection, connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Field,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, DenseRank, RowNumber

from okrcoach.accounts.models import User
from okrcoach.core.queries import count_per_row

from .models import Membership, Organisation, Team


def people(organisation: Organisation, *, include_inactive: bool = False) -> QuerySet[Membership]:
    """Members with what a people list shows: user, team, manager and number of active reports."""
    qs = (
        Membership.objects.for_org(organisation)
        .select_related("user", "team", "manager__user")
        .annotate(report_count=Count("reports", filter=Q(reports__is_active=True)))
        .order_by("user__full_name", "pk")
    )
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs


def search_people(
    organisation: Organisation,
    *,
    query: str = "",
    team: Team | None = None,
    include_inactive: bool = False,
) -> QuerySet[Membership]:
    qs = people(organisation, include_inactive=include_inactive)
    if query:
        qs = qs.filter(
            Q(user__full_name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(title__icontains=query)
            | Q(title="", user__title__icontains=query)
        )
    if team is not None:
        qs = qs.filter(
            team__in=Team.objects.for_org(organisation).descendants(team, include_self=True)
        )
    return qs


# --- the member behind a request ------------------------------------------------------------
#
# Every page under /o/<slug>/ starts with this read (orgs/middleware.py). Built with the ORM
# (select_related and two counting subqueries) it cost 2-4 ms of Python per request to build and
# compile, more than the query itself. So the SQL is written out once per process and database
# vendor from the models' own field lists (a new column is read without a change here), and the
# rows are made with `Model.from_db` after the same converters the ORM applies.
# test_organisation_middleware.py checks the result field by field against the ORM's.

_JOINED: tuple[tuple[type[Model], str], ...] = (
    (Membership, "m"),
    (Organisation, "o"),
    (User, "u"),
    (Team, "t"),
)
Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


@dataclass(frozen=True)
class _Columns:
    model: type[Model]
    attnames: list[str]
    converters: list[tuple[int, list[Converter], Any]]  # (position, converters, expression)


@once
def _member_sql(alias: str) -> tuple[str, tuple[_Columns, ...]]:
    db = connections[alias]
    q = db.ops.quote_name
    select: list[str] = []
    shapes = []
    for model, letter in _JOINED:
        fields = model._meta.concrete_fields
        converters = []
        for i, field in enumerate(fields):
            col = field.get_col(letter)
            found = db.ops.get_db_converters(col) + col.get_db_converters(db)
            if found:
                converters.append((i, found, col))
        select += [f"{letter}.{q(str(field.column))}" for field in fields]
        shapes.append(_Columns(model, [field.attname for field in fields], converters))

    def column(model: type[Model], name: str) -> str:
        field = model._meta.get_field(name)
        assert isinstance(field, Field)
        return q(str(field.column))

    people = q(Membership._meta.db_table)
    pk, active = column(Membership, "id"), column(Membership, "is_active")
    user_fk, manager_fk = column(Membership, "user"), column(Membership, "manager")
    sql = (
        f"SELECT {', '.join(select)},"
        f" (SELECT COUNT(*) FROM {people} r WHERE r.{manager_fk} = m.{pk} AND r.{active}),"
        f" (SELECT COUNT(*) FROM {people} s WHERE s.{user_fk} = m.{user_fk} AND s.{active})"
        f" FROM {people} m"
        f" JOIN {q(Organisation._meta.db_table)} o"
        f" ON o.{column(Organisation, 'id')} = m.{column(Membership, 'organisation')}"
        f" JOIN {q(User._meta.db_table)} u ON u.{column(User, 'id')} = m.{user_fk}"
        f" LEFT JOIN {q(Team._meta.db_table)} t"
        f" ON t.{column(Team, 'id')} = m.{column(Membership, 'team')}"
        f" WHERE o.{column(Organisation, 'slug')} = %s AND m.{user_fk} = %s AND m.{active}"
    )
    return sql, tuple(shapes)


def member_for_request(slug: str, user_id: int) -> Membership | None:
    """This user's active membership of the organisation with this slug, with organisation,
    user and team joined, `active_report_count` (the member's active reports) and
    `active_membership_count` (the user's active memberships, for the organisation switcher):
    one query, None when there is none."""
    alias = router.db_for_read(Membership)
    sql, shapes = _member_sql(alias)
    db = connections[alias]
    with db.cursor() as cursor:
        cursor.execute(sql, [slug, user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    made: list[Model | None] = []
    start = 0
    for shape in shapes:
        values = list(row[start : start + len(shape.attnames)])
        start += len(shape.attnames)
        if values[0] is None:  # no team
            made.append(None)
            continue
        for i, converters, expression in shape.converters:
            for convert in converters:
                values[i] = convert(values[i], expression, db)
        made.append(shape.model.from_db(alias, shape.attnames, values))
    membership, organisation, user, team = made
    assert isinstance(membership, Membership)
    membership.organisation = organisation  # type: ignore[assignment]
    membership.user = user  # type: ignore[assignment]
    membership.team = team  # type: ignore[assignment]
    membership.active_report_count = row[start]  # type: ignore[attr-defined]
    membership.active_membership_count = row[start + 1]  # type: ignore[attr-defined]
    return membership


def direct_reports(membership: Membership) -> QuerySet[Membership]:
    """People whose manager is this member: one query."""
    return people(membership.organisation).filter(manager=membership)


# The SQL below interpolates only our own quoted table name; every value is a bound parameter.
def _subtree_sql() -> str:
    table = connection.ops.quote_name(Membership._meta.db_table)
    # PostgreSQL guesses the working table far too big and joined it to a sequential scan of
    # every membership at each level (cost grew with the organisation, not the subtree). The
    # LATERAL subquery with OFFSET 0 cannot be flattened: one manager_id index lookup per
    # person found, so the cost follows the size of the subtree. SQLite has no LATERAL and
    # already plans the join as index lookups.
    if connection.vendor == "postgresql":
        step = (
            f"SELECT r.id FROM subtree s CROSS JOIN LATERAL"
            f" (SELECT id FROM {table} WHERE manager_id = s.id OFFSET 0) r"
        )
    else:
        step = f"SELECT m.id FROM {table} m JOIN subtree s ON m.manager_id = s.id"
    return (
        f"WITH RECURSIVE subtree(id) AS ("
        f" SELECT id FROM {table} WHERE manager_id = %s AND organisation_id = %s"
        f" UNION {step}"
        f") SELECT id FROM subtree"
    )


def subtree_ids(membership: Membership) -> RawSQL:
    """The ids of everyone below this member in the reporting line, as a subquery.

    A recursive CTE works the same on SQLite and PostgreSQL; UNION (not UNION ALL) stops at a
    cycle, should one ever slip past the service that prevents them."""
    return RawSQL(_subtree_sql(), (membership.pk, membership.organisation_id))  # noqa: S611


def subtree_id_set(membership: Membership) -> set[int]:
    """The ids of everyone below this member in the reporting line: one query, the recursive
    CTE alone. Without `reporting_subtree`'s join back to the organisation's people (a scan of
    them all): a manager is always of the member's organisation (services check it), and the
    ids only ever meet rows already confined to it."""
    with connection.cursor() as cursor:
        cursor.execute(_subtree_sql(), [membership.pk, membership.organisation_id])
        return {row[0] for row in cursor.fetchall()}


def reporting_subtree(membership: Membership) -> QuerySet[Membership]:
    """Everyone below this member (reports, their reports, …): one query."""
    return people(membership.organisation).filter(pk__in=subtree_ids(membership))


def _chain_up_ids(
    db_table: str, parent_column: str, start_ids: Sequence[int], *, include_self: bool
) -> RawSQL:
    """The ids of these rows and every row above them through `parent_column` (at most 50
    levels), as a subquery; without the starting rows themselves unless `include_self`."""
    table = connection.ops.quote_name(db_table)
    marks = ", ".join(["%s"] * len(start_ids))
    sql = (
        f"WITH RECURSIVE chain(id, up_id, depth) AS ("
        f" SELECT id, {parent_column}, 0 FROM {table} WHERE id IN ({marks})"
        f" UNION SELECT r.id, r.{parent_column}, c.depth + 1 FROM {table} r"
        f" JOIN chain c ON r.id = c.up_id WHERE c.depth < 50"
        f") SELECT id FROM chain" + ("" if include_self else f" WHERE id NOT IN ({marks})")
    )
    params = [*start_ids] if include_self else [*start_ids, *start_ids]
    return RawSQL(sql, params)  # noqa: S611


def manager_chain_ids(membership_id: int) -> RawSQL:
    """The ids of everyone above this member in the reporting line, as a subquery."""
    return _chain_up_ids(
        Membership._meta.db_table, "manager_id", [membership_id], include_self=False
    )


def manager_chain(membership: Membership) -> list[Membership]:
    """This member's managers, nearest first: one query."""
    chain = list(
        Membership.objects.for_org(membership.organisation_id)
        .filter(pk__in=manager_chain_ids(membership.pk))
        .select_related("user")
    )
    by_id = {m.pk: m for m in chain}
    ordered: list[Membership] = []
    current = by_id.get(membership.manager_id) if membership.manager_id else None
    while current is not None and current not in ordered:
        ordered.append(current)
        current = by_id.get(current.manager_id) if current.manager_id else None
    return ordered


def teams(organisation: Organisation) -> QuerySet[Team]:
    """The team tree in tree order, each team with its lead and member count."""
    return (
        Team.objects.for_org(organisation)
        .with_tree_fields()
        .select_related("lead__user")
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
        .order_siblings_by("name")
    )


# The teams directory lists this many teams at a time: a level of the tree, a page of search
# results. Rendering all of them (1,400 teams at 10,000 people, 536 KB, 0.26-0.41 s) made the
# page grow with the organisation (perf/LOAD_RESULTS.md, 4 Dec 2026).
TEAM_DIRECTORY_PAGE = 50


@dataclass(frozen=True)
class TeamRow:
    """What the teams directory shows of a team, read as plain values (no model instances)."""

    public_id: Any
    name: str
    kind: str
    lead_name: str | None
    member_count: int
    child_count: int
    parent_id: int | None
    parent_name: str | None
    pk: int
    # The top of the tree only: a root's first page of sub-teams, and whether more follow.
    sub_rows: tuple[TeamRow, ...] = ()
    has_more_sub_rows: bool = False

    @property
    def kind_label(self) -> str:
        return str(Team.Kind(self.kind).label)

    @property
    def more_sub_count(self) -> int:
        """How many sub-teams the second page holds (the top shows the first)."""
        return min(TEAM_DIRECTORY_PAGE, self.child_count - len(self.sub_rows))

    @property
    def more_sub_query(self) -> str:
        return urlencode({"parent": self.public_id, "page": 2})


@dataclass(frozen=True)
class TeamDirectory:
    """A page of the top of the team tree (roots, each with the first page of its sub-teams),
    of one team's sub-teams (`parent`) or of search results (`query`). `total`: how many
    teams the level (the roots, the parent's sub-teams, the matches) holds, read in the same
    query as the page (a window count), so paging costs no extra query."""

    rows: list[TeamRow]
    page: int
    total: int
    parent: Team | None = None
    query: str = ""

    @property
    def first_index(self) -> int:
        return (self.page - 1) * TEAM_DIRECTORY_PAGE + 1 if self.rows else 0

    @property
    def last_index(self) -> int:
        return (self.page - 1) * TEAM_DIRECTORY_PAGE + len(self.rows)

    @property
    def has_more(self) -> bool:
        return self.last_index < self.total

    @property
    def level_query(self) -> str:
        """The query string naming this level ("parent=…&", "q=…&" or ""), to which a page
        number is appended (includes/pagination.html's `querystring_prev`)."""
        level: dict[str, Any] = {"parent": self.parent.public_id} if self.parent else {}
        if self.query:
            level["q"] = self.query
        return f"{urlencode(level)}&" if level else ""

    @property
    def next_query(self) -> str:
        return f"{self.level_query}page={self.page + 1}"

    @property
    def next_count(self) -> int:
        """How many teams the next page holds ("Show 50 more")."""
        return min(TEAM_DIRECTORY_PAGE, self.total - self.last_index)

    # What includes/pagination.html reads (a Django Page's names), for the page without htmx.
    @property
    def number(self) -> int:
        return self.page

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // TEAM_DIRECTORY_PAGE))

    @property
    def paginator(self) -> TeamDirectory:
        return self

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def previous_page_number(self) -> int:
        return self.page - 1

    @property
    def has_next(self) -> bool:
        return self.has_more

    @property
    def next_page_number(self) -> int:
        return self.page + 1


_TEAM_ROW_FIELDS = (
    "pk",
    "public_id",
    "name",
    "kind",
    "lead__user__full_name",
    "parent_id",
    "parent__name",
)
# Name order with the primary key as tie-breaker: two teams may share a name, and a page
# boundary must not show one twice or skip one.
_TEAM_ORDER = ("name", "pk")


def _team_rows(organisation: Organisation, qs: QuerySet[Team]) -> QuerySet[Any]:
    rows: QuerySet[Any] = qs.annotate(
        member_count=count_per_row(
            Membership.objects.for_org(organisation).filter(is_active=True), "team"
        ),
        child_count=count_per_row(Team.objects.for_org(organisation), "parent"),
    ).values(*_TEAM_ROW_FIELDS, "member_count", "child_count")
    return rows


def _row(values: dict[str, Any]) -> TeamRow:
    return TeamRow(
        public_id=values["public_id"],
        name=values["name"],
        kind=values["kind"],
        lead_name=values["lead__user__full_name"],
        member_count=values["member_count"],
        child_count=values["child_count"],
        parent_id=values["parent_id"],
        parent_name=values["parent__name"],
        pk=values["pk"],
    )


def _page_of(qs: QuerySet[Any], page: int) -> tuple[list[TeamRow], int]:
    """One page in name order and the number of rows of the whole level: one query (the
    count is a window over the level, computed before LIMIT/OFFSET). Past the last page the
    total is unknown (no row carries it) and reads 0."""
    start = (page - 1) * TEAM_DIRECTORY_PAGE
    found = list(
        qs.annotate(level_total=Window(Count("pk"))).order_by(*_TEAM_ORDER)[
            start : start + TEAM_DIRECTORY_PAGE
        ]
    )
    return [_row(v) for v in found], (found[0]["level_total"] if found else 0)


def team_directory_top(organisation: Organisation, page: int = 1) -> TeamDirectory:
    """A page of the tree's roots, each with the first page of its sub-teams, in one query
    whatever the organisation's size. Over the roots and their sub-teams: a rank shared by a
    root and its sub-teams (the root's place among the roots) picks the page's roots, a row
    number per parent caps each root's sub-teams (shifted by the page's offset for the roots
    themselves), a count per parent gives the number of roots."""
    start = (page - 1) * TEAM_DIRECTORY_PAGE
    # The roots and their sub-teams, as main read them (no OR of IN subqueries): the same plan,
    # one more sort for the ranks.
    root_rank = Window(
        DenseRank(),
        order_by=[Coalesce(F("parent__name"), F("name")), Coalesce(F("parent_id"), F("pk"))],
    )
    place = Window(
        RowNumber(), partition_by=[F("parent_id")], order_by=[F("name"), F("pk")]
    ) - Case(When(parent__isnull=True, then=Value(start)), default=Value(0))
    top = (
        _team_rows(
            organisation, Team.objects.for_org(organisation).filter(parent__parent__isnull=True)
        )
        .annotate(
            root_rank=root_rank,
            place=place,
            siblings=Window(Count("pk"), partition_by=[F("parent_id")]),
        )
        .filter(
            root_rank__gt=start,
            root_rank__lte=start + TEAM_DIRECTORY_PAGE,
            place__gt=0,
            place__lte=TEAM_DIRECTORY_PAGE,
        )
        .order_by(*_TEAM_ORDER)
    )
    roots: list[TeamRow] = []
    children: dict[int, list[TeamRow]] = {}
    total = 0
    for values in top:
        row = _row(values)
        if row.parent_id is None:
            roots.append(row)
            total = values["siblings"]
        else:
            children.setdefault(row.parent_id, []).append(row)
    rows = [
        replace(
            root,
            sub_rows=tuple(children.get(root.pk, ())),
            has_more_sub_rows=root.child_count > TEAM_DIRECTORY_PAGE,
        )
        for root in roots
    ]
    return TeamDirectory(rows=rows, page=page, total=total)


def team_directory_children(organisation: Organisation, parent: Team, page: int) -> TeamDirectory:
    """A page of one team's sub-teams: one query."""
    rows, total = _page_of(
        _team_rows(organisation, Team.objects.for_org(organisation).filter(parent=parent)), page
    )
    return TeamDirectory(rows, page, total, parent=parent)


def team_directory_search(organisation: Organisation, query: str, page: int) -> TeamDirectory:
    """A page of the teams whose name contains `query`, ignoring case: one query. On
    PostgreSQL a trigram index on the upper-cased name (migration orgs/0004) serves it
    instead of a scan of the organisation's teams; SQLite runs the same query as a scan."""
    qs = Team.objects.for_org(organisation).filter(name__icontains=query)
    rows, total = _page_of(_team_rows(organisation, qs), page)
    return TeamDirectory(rows, page, total, query=query)


def team_choices(organisation: Organisation) -> QuerySet[Team]:
    return Team.objects.for_org(organisation).with_tree_fields().order_siblings_by("name")


@dataclass(frozen=True)
class PersonPage:
    person: Membership
    managers: list[Membership]
    reports: list[Membership]
    subtree_size: int
    led_teams: list[Team]


def person_page(person: Membership, organisation: Organisation) -> PersonPage:
    reports = list(people(organisation).filter(manager=person))
    return PersonPage(
        person=person,
        managers=manager_chain(person),
        reports=reports,
        subtree_size=(
            Membership.objects.for_org(organisation).filter(pk__in=subtree_ids(person)).count()
            if reports
            else 0
        ),
        led_teams=list(Team.objects.for_org(organisation).filter(lead=person)),
    )


@dataclass(frozen=True)
class TeamPage:
    team: Team
    ancestors: list[Team]
    subteams: list[Team]
    members: list[Membership]


def _team_chain_ids(team_id: int) -> RawSQL:
    """The ids of a team and every team above it, as a subquery: a walk up the parent links."""
    return _chain_up_ids(Team._meta.db_table, "parent_id", [team_id], include_self=True)


def _walk_up(found: dict[int, Team], team_id: int) -> list[Team]:
    """A team and the teams above it among `found`, the team first, the root last."""
    chain: list[Team] = []
    node = found.get(team_id)
    while node is not None and node not in chain:
        chain.append(node)
        node = found.get(node.parent_id) if node.parent_id else None
    return chain


def team_ancestors(
    organisation: Organisation | int, team: Team | int, *, include_self: bool = False
) -> list[Team]:
    """The teams above `team`, the root first (and the team itself last if include_self): one
    query that walks up the parent links, none for a root team given as a Team. tree_queries'
    `ancestors()` takes two queries that each build the tree of every team in the table, ~25 ms
    at 1,400 teams and growing with them (Home runs it for the member's team card)."""
    if isinstance(team, Team) and team.parent_id is None:
        return [team] if include_self else []
    team_id = team if isinstance(team, int) else team.pk
    found = {
        t.pk: t for t in Team.objects.for_org(organisation).filter(pk__in=_team_chain_ids(team_id))
    }
    chain = _walk_up(found, team_id)
    chain.reverse()
    return chain if include_self else chain[:-1]


def team_chains(
    organisation: Organisation | int, team_ids: Collection[int]
) -> dict[int, list[Team]]:
    """{team id: the team and the teams above it, the team first, the root last} for these
    teams (ids of no team map to []): one query (a walk up the parent links from all of them at
    once), however many teams."""
    ids = sorted({t for t in team_ids if t})
    if not ids:
        return {t: [] for t in team_ids}
    chain = _chain_up_ids(Team._meta.db_table, "parent_id", ids, include_self=True)
    found = {t.pk: t for t in Team.objects.for_org(organisation).filter(pk__in=chain).order_by()}
    return {t: _walk_up(found, t) if t else [] for t in team_ids}


def team_page(team: Team, organisation: Organisation) -> TeamPage:
    org = organisation
    return TeamPage(
        team=team,
        ancestors=team_ancestors(org, team),
        subteams=list(
            Team.objects.for_org(org)
            .filter(parent=team)
            .select_related("lead__user")
            .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
            .order_by("name")
        ),
        members=list(people(org).filter(team=team)),
    )


@dataclass(frozen=True)
class OrganisationStats:
    people: int
    teams: int
    managers: int


# The head counts read every membership of the organisation (~30 ms at 10,000 people, ten times
# that at 100,000), and every Home shows them: they are cached until a membership or team of the
# organisation changes. Saves and deletes are seen by signals (orgs/signals.py); bulk writes call
# `headcount_changed` (orgs/importing.py); the timeout bounds what any other write (raw SQL, the
# seeders) leaves stale.
HEADCOUNT_TIMEOUT = 600


def _headcount_key(organisation_id: int) -> str:
    return f"org:{organisation_id}:headcount"


def headcount_changed(organisation_id: int) -> None:
    """Forget the organisation's cached head counts: at once (the writer's next read is fresh)
    and again after commit (a reader that cached the old rows meanwhile loses them)."""
    key = _headcount_key(organisation_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def organisation_stats(organisation: Organisation) -> OrganisationStats:
    """Head counts for the home page: from the cache, else two queries."""
    key = _headcount_key(organisation.pk)
    stats = cache.get(key)
    if not isinstance(stats, OrganisationStats):
        stats = _count_heads(organisation)
        cache.set(key, stats, HEADCOUNT_TIMEOUT)
    return stats


def _count_heads(organisation: Organisation) -> OrganisationStats:
    agg = (
        Membership.objects.for_org(organisation)
        .filter(is_active=True)
        .aggregate(
            # Exists (an index probe per person) rather than a join and COUNT(DISTINCT), which
            # sorted every membership of the organisation on each Home.
            people=Count("pk"),
            managers=Count(
                "pk",
                filter=Exists(
                    Membership.objects.for_org(organisation).filter(
                        manager=OuterRef("pk"), is_active=True
                    )
                ),
            ),
        )
    )
    return OrganisationStats(
        people=agg["people"],
        teams=Team.objects.for_org(organisation).count(),
        managers=agg["managers"],
    )
