"""Initiatives, contributors, contribution links and team cadence under /api/v1/okrs: the same
services and checks as the objective, contribution-link and team cadence pages. Whoever may check
in on a key result adds initiatives and sets their status; whoever may edit an objective sets its
contributors and links; admins and a team's lead set the team's check-in cadence."""

from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from okrcoach.api.auth import actor
from okrcoach.core.api.body import documented_body, parse_body
from okrcoach.core.api.pagination import PagePagination
from okrcoach.core.api.schemas import NOT_FOUND, WRITE, InSchema
from okrcoach.orgs import selectors as org_selectors
from okrcoach.orgs.access import get_for_member_or_404
from okrcoach.orgs.models import Membership, Organisation, Team

from .models import ContributionLink, Initiative, Objective, TeamSettings
from .permissions import require_edit_objective
from .selectors import lookups
from .services import alignment as alignment_services
from .services import check_ins as check_in_services
from .services import key_results as key_result_services

router = Router(tags=["okrs: teamwork"])


class InitiativeIn(InSchema):
    title: str = Field(min_length=1, max_length=200)


class InitiativeStatusIn(InSchema):
    status: Initiative.Status


class InitiativeOut(Schema):
    id: UUID = Field(alias="public_id")
    key_result_id: UUID
    title: str
    owner_id: UUID | None
    status: str

    @staticmethod
    def resolve_key_result_id(i: Initiative) -> UUID:
        return i.key_result.public_id

    @staticmethod
    def resolve_owner_id(i: Initiative) -> UUID | None:
        return i.owner.public_id if i.owner is not None else None


class ContributorsIn(InSchema):
    contributor_ids: list[UUID] = Field(max_length=500)


class ContributorsOut(Schema):
    objective_id: UUID
    contributor_ids: list[UUID]


class LinkIn(InSchema):
    key_result_id: UUID
    weight: Decimal = Field(Decimal(1), ge=Decimal("0.01"), le=100, decimal_places=2)


class LinkOut(Schema):
    id: UUID = Field(alias="public_id")
    objective_id: UUID
    key_result_id: UUID
    weight: float

    @staticmethod
    def resolve_objective_id(link: ContributionLink) -> UUID:
        return link.objective.public_id

    @staticmethod
    def resolve_key_result_id(link: ContributionLink) -> UUID:
        return link.key_result.public_id


class CadenceIn(InSchema):
    check_in_cadence_days: Organisation.Cadence | None = Field(
        description="7 or 14; null follows the organisation's cadence."
    )


class CadenceOut(Schema):
    team_id: UUID
    check_in_cadence_days: int | None
    organisation_days: int


# --- initiatives -----------------------------------------------------------------------------


def _initiatives(m: Membership) -> QuerySet[Initiative]:
    return (
        Initiative.objects.for_org(m.organisation)
        .visible_to(m)
        .select_related("owner", "key_result__owner", "key_result__objective__team")
    )


@router.get(
    "/key-results/{key_result_id}/initiatives",
    response={200: list[InitiativeOut], **NOT_FOUND},
    summary="A key result's initiatives",
)
@paginate(PagePagination)
def list_initiatives(request: HttpRequest, key_result_id: UUID) -> QuerySet[Initiative]:
    m = actor(request)
    kr = lookups.get_key_result(m, key_result_id)
    return _initiatives(m).filter(key_result=kr).order_by("created_at", "pk")


@router.post(
    "/key-results/{key_result_id}/initiatives",
    response={201: InitiativeOut, **WRITE},
    summary="Add an initiative (whoever may check in on the key result)",
    openapi_extra=documented_body(InitiativeIn),
)
def create_initiative(request: HttpRequest, key_result_id: UUID) -> Status[Any]:
    m = actor(request)
    kr = lookups.get_key_result(m, key_result_id)
    payload = parse_body(request, InitiativeIn)
    initiative = key_result_services.create_initiative(actor=m, key_result=kr, title=payload.title)
    return Status(201, _initiatives(m).get(pk=initiative.pk))


@router.post(
    "/initiatives/{initiative_id}/status",
    response={200: InitiativeOut, **WRITE},
    summary="Set an initiative's status",
    openapi_extra=documented_body(InitiativeStatusIn),
)
def set_initiative_status(request: HttpRequest, initiative_id: UUID) -> Initiative:
    m = actor(request)
    initiative = get_for_member_or_404(_initiatives(m), m, public_id=initiative_id)
    payload = parse_body(request, InitiativeStatusIn)
    key_result_services.set_initiative_status(actor=m, initiative=initiative, status=payload.status)
    return _initiatives(m).get(pk=initiative.pk)


# --- contributors ----------------------------------------------------------------------------


def _editable_objective(m: Membership, objective_id: UUID) -> Objective:
    objective = lookups.get_objective(m, objective_id)
    require_edit_objective(m, objective)
    return objective


def _contributors_out(objective: Objective) -> ContributorsOut:
    ids = objective.contributors.order_by("pk").values_list("public_id", flat=True)
    return ContributorsOut(objective_id=objective.public_id, contributor_ids=list(ids))


@router.get(
    "/objectives/{objective_id}/contributors",
    response={200: ContributorsOut, **NOT_FOUND},
    summary="Who works on an objective besides its owner",
)
def get_contributors(request: HttpRequest, objective_id: UUID) -> ContributorsOut:
    return _contributors_out(lookups.get_objective(actor(request), objective_id))


@router.put(
    "/objectives/{objective_id}/contributors",
    response={200: ContributorsOut, **WRITE},
    summary="Replace an objective's contributors: add or remove people by sending the new list",
    openapi_extra=documented_body(ContributorsIn),
)
def put_contributors(request: HttpRequest, objective_id: UUID) -> ContributorsOut:
    m = actor(request)
    objective = _editable_objective(m, objective_id)
    payload = parse_body(request, ContributorsIn)
    wanted = set(payload.contributor_ids)
    # Active members of the organisation only, as the page offers.
    people = list(org_selectors.people(m.organisation).filter(public_id__in=wanted))
    unknown = wanted - {p.public_id for p in people}
    if unknown:
        raise ValidationError(
            {"contributor_ids": _("No such active member: %(id)s.") % {"id": sorted(unknown)[0]}}
        )
    alignment_services.set_contributors(actor=m, objective=objective, contributors=people)
    return _contributors_out(objective)


# --- contribution links ----------------------------------------------------------------------


def _links(m: Membership) -> QuerySet[ContributionLink]:
    return (
        ContributionLink.objects.for_org(m.organisation)
        .visible_to(m)
        .select_related("objective__team", "objective__owner", "key_result")
    )


@router.get(
    "/objectives/{objective_id}/links",
    response={200: list[LinkOut], **NOT_FOUND, 403: WRITE[403]},
    summary="Other teams' key results that count towards an objective",
)
@paginate(PagePagination)
def list_links(request: HttpRequest, objective_id: UUID) -> QuerySet[ContributionLink]:
    m = actor(request)
    objective = _editable_objective(m, objective_id)
    return _links(m).filter(objective=objective).order_by("pk")


@router.post(
    "/objectives/{objective_id}/links",
    response={201: LinkOut, **WRITE},
    summary="Count another team's key result towards an objective (or change its weight)",
    openapi_extra=documented_body(LinkIn),
)
def create_link(request: HttpRequest, objective_id: UUID) -> Status[Any]:
    m = actor(request)
    objective = _editable_objective(m, objective_id)
    payload = parse_body(request, LinkIn)
    key_result = (
        lookups.linkable_key_results(m, objective).filter(public_id=payload.key_result_id).first()
    )
    if key_result is None:
        raise ValidationError(
            {"key_result_id": _("Choose a key result of this cycle that you can see.")}
        )
    link = alignment_services.link_contribution(
        actor=m, objective=objective, key_result=key_result, weight=payload.weight
    )
    return Status(201, _links(m).get(pk=link.pk))


@router.delete(
    "/links/{link_id}",
    response={204: None, **WRITE},
    summary="Stop counting a key result towards an objective",
)
def delete_link(request: HttpRequest, link_id: UUID) -> Status[Any]:
    m = actor(request)
    link = get_for_member_or_404(_links(m), m, public_id=link_id)
    alignment_services.unlink_contribution(actor=m, link=link)
    return Status(204, None)


# --- team cadence ----------------------------------------------------------------------------


def _led_team(m: Membership, team_id: UUID) -> Team:
    team = get_for_member_or_404(Team.objects.for_org(m.organisation), m, public_id=team_id)
    if not (m.is_admin or team.lead_id == m.pk):
        raise PermissionDenied(_("Only admins and the team's lead can change its cadence."))
    return team


def _cadence_out(m: Membership, team: Team) -> CadenceOut:
    days = (
        TeamSettings.objects.for_org(m.organisation)
        .filter(team=team)
        .values_list("check_in_cadence_days", flat=True)
        .first()
    )
    return CadenceOut(
        team_id=team.public_id,
        check_in_cadence_days=days,
        organisation_days=m.organisation.check_in_cadence_days,
    )


@router.get(
    "/teams/{team_id}/cadence",
    response={200: CadenceOut, **NOT_FOUND, 403: WRITE[403]},
    summary="A team's check-in cadence (admins and the team's lead)",
)
def get_team_cadence(request: HttpRequest, team_id: UUID) -> CadenceOut:
    m = actor(request)
    return _cadence_out(m, _led_team(m, team_id))


@router.put(
    "/teams/{team_id}/cadence",
    response={200: CadenceOut, **WRITE},
    summary="Override the organisation's check-in cadence for a team, or follow it again",
    openapi_extra=documented_body(CadenceIn),
)
def put_team_cadence(request: HttpRequest, team_id: UUID) -> CadenceOut:
    m = actor(request)
    team = _led_team(m, team_id)
    payload = parse_body(request, CadenceIn)
    days = int(payload.check_in_cadence_days) if payload.check_in_cadence_days else None
    check_in_services.set_team_cadence(actor=m, team=team, days=days)
    return _cadence_out(m, team)
