from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from okrcoach.orgs import selectors
from okrcoach.orgs.access import get_for_member_or_404
from okrcoach.orgs.models import Membership, Organisation, Team

from .auth import actor
from .pagination import PagePagination
from .schemas import ErrorOut

router = Router(tags=["people"])


class PersonOut(Schema):
    id: UUID
    email: str
    full_name: str
    title: str
    role: str
    is_active: bool
    team_id: UUID | None
    manager_id: UUID | None
    joined_at: datetime

    # Resolvers read from a Membership with user, team and manager joined by the selector.
    @staticmethod
    def resolve_id(m: Membership) -> UUID:
        return m.public_id

    @staticmethod
    def resolve_email(m: Membership) -> str:
        return m.user.email

    @staticmethod
    def resolve_full_name(m: Membership) -> str:
        return m.user.full_name

    @staticmethod
    def resolve_title(m: Membership) -> str:
        return m.user.title

    @staticmethod
    def resolve_team_id(m: Membership) -> UUID | None:
        return m.team.public_id if m.team is not None else None

    @staticmethod
    def resolve_manager_id(m: Membership) -> UUID | None:
        return m.manager.public_id if m.manager is not None else None


class OrganisationOut(Schema):
    id: UUID
    name: str
    slug: str

    @staticmethod
    def resolve_id(org: Organisation) -> UUID:
        return org.public_id


class MeOut(Schema):
    person: PersonOut
    organisation: OrganisationOut


class TeamOut(Schema):
    id: UUID
    name: str
    slug: str
    kind: str
    parent_id: UUID | None
    lead_id: UUID | None
    member_count: int

    @staticmethod
    def resolve_id(t: Team) -> UUID:
        return t.public_id

    @staticmethod
    def resolve_parent_id(t: Team) -> UUID | None:
        return t.parent.public_id if t.parent is not None else None

    @staticmethod
    def resolve_lead_id(t: Team) -> UUID | None:
        return t.lead.public_id if t.lead is not None else None

    @staticmethod
    def resolve_member_count(t: Team) -> int:
        return int(getattr(t, "member_count", 0))


@router.get("/me", response=MeOut, summary="The person and organisation behind this token")
def me(request: HttpRequest) -> dict[str, object]:
    m = actor(request)
    return {"person": selectors.people(m.organisation).get(pk=m.pk), "organisation": m.organisation}


@router.get("/people", response=list[PersonOut], summary="People of the organisation")
@paginate(PagePagination)
def list_people(
    request: HttpRequest, q: str = "", include_inactive: bool = False
) -> QuerySet[Membership]:
    m = actor(request)
    return selectors.search_people(m.organisation, query=q[:100], include_inactive=include_inactive)


@router.get("/people/{person_id}", response={200: PersonOut, 404: ErrorOut})
def get_person(request: HttpRequest, person_id: UUID) -> Membership:
    m = actor(request)
    return get_for_member_or_404(
        selectors.people(m.organisation, include_inactive=True), m, public_id=person_id
    )


@router.get("/teams", response=list[TeamOut], summary="Teams in tree order")
@paginate(PagePagination)
def list_teams(request: HttpRequest) -> QuerySet[Team]:
    m = actor(request)
    return selectors.teams(m.organisation).select_related("parent")


@router.get("/teams/{team_id}", response={200: TeamOut, 404: ErrorOut})
def get_team(request: HttpRequest, team_id: UUID) -> Team:
    m = actor(request)
    return get_for_member_or_404(
        selectors.teams(m.organisation).select_related("parent"), m, public_id=team_id
    )
