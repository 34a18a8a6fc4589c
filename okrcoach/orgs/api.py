"""People, teams and invitations under /api/v1: the same selectors, services and admin checks
as the people and team pages. Changes to people, teams and invitations are for admins (403 for
anyone else), as on the admin pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from ninja.params.functions import Query as QueryParam

from okrcoach.accounts import services as accounts_services
from okrcoach.accounts.forms import NOTIFICATION_CHOICES, ProfileForm
from okrcoach.accounts.models import User
from okrcoach.core.api.body import documented_body, multipart, parse_body
from okrcoach.core.api.pagination import PagePagination
from okrcoach.core.api.schemas import FORBIDDEN, INVALID, NO_NUL, NOT_FOUND, WRITE, InSchema

from . import importing, selectors, services
from .access import get_for_member_or_404, require_admin
from .forms import ImportForm
from .models import Invitation, Membership, Organisation, Role, Team

router = Router(tags=["people"])


def actor(request: HttpRequest) -> Membership:
    """The membership the bearer token resolved to (okrcoach.api.auth sets `request.auth`)."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    return membership


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
        return m.display_title

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
    request: HttpRequest,
    q: str = QueryParam("", pattern=NO_NUL, description="Part of a name, email or job title."),
    include_inactive: bool = False,
) -> QuerySet[Membership]:
    m = actor(request)
    return selectors.search_people(m.organisation, query=q[:100], include_inactive=include_inactive)


@router.get("/people/{person_id}", response={200: PersonOut, **NOT_FOUND})
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


@router.get("/teams/{team_id}", response={200: TeamOut, **NOT_FOUND})
def get_team(request: HttpRequest, team_id: UUID) -> Team:
    m = actor(request)
    return get_for_member_or_404(
        selectors.teams(m.organisation).select_related("parent"), m, public_id=team_id
    )


# --- changes (admins) ------------------------------------------------------------------------


class PersonPatch(InSchema):
    """Only the fields sent change; `null` clears a team or a manager."""

    role: Role | None = None
    team_id: UUID | None = None
    manager_id: UUID | None = None
    title: str | None = Field(None, max_length=150)


class TeamIn(InSchema):
    name: str = Field(min_length=1, max_length=120)
    kind: Team.Kind = Team.Kind.TEAM
    parent_id: UUID
    lead_id: UUID | None = None


class TeamPatch(InSchema):
    """Only the fields sent change; `null` clears the lead."""

    name: str | None = Field(None, min_length=1, max_length=120)
    kind: Team.Kind | None = None
    parent_id: UUID | None = None
    lead_id: UUID | None = None


class InvitationIn(InSchema):
    email: str = Field(min_length=3, max_length=254)
    full_name: str = Field("", max_length=150)
    role: Role = Role.MEMBER
    team_id: UUID | None = None
    manager_id: UUID | None = None


class InvitationOut(Schema):
    id: UUID = Field(alias="public_id")
    email: str
    full_name: str
    role: str
    team_id: UUID | None
    manager_id: UUID | None
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None

    @staticmethod
    def resolve_team_id(i: Invitation) -> UUID | None:
        return i.team.public_id if i.team is not None else None

    @staticmethod
    def resolve_manager_id(i: Invitation) -> UUID | None:
        return i.manager.public_id if i.manager is not None else None


def _person(m: Membership, person_id: UUID) -> Membership:
    return get_for_member_or_404(
        selectors.people(m.organisation, include_inactive=True), m, public_id=person_id
    )


def _team(m: Membership, team_id: UUID | None) -> Team | None:
    if team_id is None:
        return None
    return get_for_member_or_404(Team.objects.for_org(m.organisation), m, public_id=team_id)


def _member(m: Membership, person_id: UUID | None) -> Membership | None:
    if person_id is None:
        return None
    return get_for_member_or_404(Membership.objects.for_org(m.organisation), m, public_id=person_id)


def _team_out(m: Membership, team: Team) -> Team:
    return selectors.teams(m.organisation).select_related("parent").get(pk=team.pk)


@router.patch(
    "/people/{person_id}",
    response={200: PersonOut, **WRITE},
    summary="Change a person's role, team, manager or title (admins)",
    openapi_extra=documented_body(PersonPatch),
)
def update_person(request: HttpRequest, person_id: UUID) -> Membership:
    m = actor(request)
    require_admin(m)
    member = _person(m, person_id)
    payload = parse_body(request, PersonPatch)
    sent = payload.model_fields_set
    services.update_member(
        actor=m,
        member=member,
        role=payload.role if "role" in sent and payload.role else member.role,
        team=_team(m, payload.team_id) if "team_id" in sent else member.team,
        manager=_member(m, payload.manager_id) if "manager_id" in sent else member.manager,
        title=payload.title if "title" in sent else None,
    )
    return _person(m, person_id)


@router.post(
    "/people/{person_id}/deactivate",
    response={200: PersonOut, **WRITE},
    summary="Deactivate a person: they can no longer sign in; their history stays (admins)",
)
def deactivate_person(request: HttpRequest, person_id: UUID) -> Membership:
    m = actor(request)
    require_admin(m)
    services.deactivate_member(actor=m, member=_person(m, person_id))
    return _person(m, person_id)


@router.post(
    "/people/{person_id}/reactivate",
    response={200: PersonOut, **WRITE},
    summary="Let a deactivated person sign in again (admins)",
)
def reactivate_person(request: HttpRequest, person_id: UUID) -> Membership:
    m = actor(request)
    require_admin(m)
    services.reactivate_member(actor=m, member=_person(m, person_id))
    return _person(m, person_id)


@router.post(
    "/teams",
    response={201: TeamOut, **WRITE},
    summary="Create a team below another (admins)",
    openapi_extra=documented_body(TeamIn),
)
def create_team(request: HttpRequest) -> Status[Any]:
    payload = parse_body(request, TeamIn)
    m = actor(request)
    require_admin(m)
    team = services.save_team(
        actor=m,
        team=None,
        name=payload.name,
        parent=_team(m, payload.parent_id),
        lead=_member(m, payload.lead_id),
        kind=payload.kind,
    )
    return Status(201, _team_out(m, team))


@router.patch(
    "/teams/{team_id}",
    response={200: TeamOut, **WRITE},
    summary="Rename, move or re-lead a team (admins)",
    openapi_extra=documented_body(TeamPatch),
)
def update_team(request: HttpRequest, team_id: UUID) -> Team:
    m = actor(request)
    require_admin(m)
    team = get_for_member_or_404(
        Team.objects.for_org(m.organisation).select_related("parent", "lead"), m, public_id=team_id
    )
    payload = parse_body(request, TeamPatch)
    sent = payload.model_fields_set
    # The company team stays the root, as on the page (which offers it no parent).
    parent = team.parent
    if team.parent_id is not None and "parent_id" in sent:
        parent = _team(m, payload.parent_id)
    services.save_team(
        actor=m,
        team=team,
        name=payload.name if "name" in sent and payload.name else team.name,
        parent=parent,
        lead=_member(m, payload.lead_id) if "lead_id" in sent else team.lead,
        kind=payload.kind if "kind" in sent and payload.kind else team.kind,
    )
    return _team_out(m, team)


@router.delete(
    "/teams/{team_id}",
    response={204: None, **WRITE},
    summary="Delete an empty team without sub-teams (admins)",
)
def delete_team(request: HttpRequest, team_id: UUID) -> Status[Any]:
    m = actor(request)
    require_admin(m)
    team = get_for_member_or_404(Team.objects.for_org(m.organisation), m, public_id=team_id)
    services.delete_team(actor=m, team=team)
    return Status(204, None)


def _invitations(m: Membership) -> QuerySet[Invitation]:
    return Invitation.objects.for_org(m.organisation).select_related("team", "manager")


@router.get(
    "/invitations",
    response={200: list[InvitationOut], **FORBIDDEN},
    summary="Pending invitations, newest first (admins)",
)
@paginate(PagePagination)
def list_invitations(request: HttpRequest) -> QuerySet[Invitation]:
    m = actor(request)
    require_admin(m)
    return _invitations(m).filter(accepted_at__isnull=True, revoked_at__isnull=True)


@router.post(
    "/invitations",
    response={201: InvitationOut, **WRITE},
    summary="Email someone a link to join the organisation (admins)",
    openapi_extra=documented_body(InvitationIn),
)
def create_invitation(request: HttpRequest) -> Status[Any]:
    payload = parse_body(request, InvitationIn)
    m = actor(request)
    require_admin(m)
    try:  # the shape check the page's EmailField makes
        validate_email(payload.email.strip())
    except ValidationError as exc:
        raise ValidationError({"email": exc.messages}) from exc
    invitation = services.invite_member(
        actor=m,
        email=payload.email,
        full_name=payload.full_name,
        role=payload.role,
        team=_team(m, payload.team_id),
        manager=_member(m, payload.manager_id),
    )
    return Status(201, _invitations(m).get(pk=invitation.pk))


@router.post(
    "/invitations/{invitation_id}/revoke",
    response={200: InvitationOut, **WRITE},
    summary="Revoke a pending invitation (admins)",
)
def revoke_invitation(request: HttpRequest, invitation_id: UUID) -> Any:
    m = actor(request)
    require_admin(m)
    invitation = get_for_member_or_404(_invitations(m), m, public_id=invitation_id)
    services.revoke_invitation(actor=m, invitation=invitation)
    return _invitations(m).get(pk=invitation.pk)


# --- organisation settings (admins) ----------------------------------------------------------


class SettingsOut(Schema):
    name: str
    cycle_length_months: int
    cycle_start_month: int
    check_in_cadence_days: int
    rollup_includes_children: bool


class SettingsPatch(InSchema):
    name: str | None = Field(None, min_length=1, max_length=150)
    cycle_length_months: Organisation.CycleLength | None = Field(
        None, description="3 (quarterly) or 12 (annual)."
    )
    cycle_start_month: int | None = Field(None, ge=1, le=12)
    check_in_cadence_days: Organisation.Cadence | None = Field(
        None, description="7 (weekly) or 14 (every two weeks)."
    )
    rollup_includes_children: bool | None = None


@router.get(
    "/organisation/settings",
    response={200: SettingsOut, **FORBIDDEN},
    summary="The organisation's settings (admins)",
)
def organisation_settings(request: HttpRequest) -> Organisation:
    m = actor(request)
    require_admin(m)
    return m.organisation


@router.patch(
    "/organisation/settings",
    response={200: SettingsOut, **FORBIDDEN, **INVALID},
    summary="Change the organisation's settings (admins); fields left out keep their value",
    openapi_extra=documented_body(SettingsPatch, required=False),
)
def update_organisation_settings(request: HttpRequest) -> Organisation:
    m = actor(request)
    require_admin(m)
    payload = parse_body(request, SettingsPatch, required=False)
    org = Organisation.objects.get(pk=m.organisation_id)
    values = {
        name: getattr(org, name) if getattr(payload, name) is None else getattr(payload, name)
        for name in SettingsPatch.model_fields
    }
    values["name"] = values["name"].strip()  # as the page's form field does
    return services.update_organisation_settings(actor=m, **values)


# --- your profile: name, title, time zone and notification preferences ----------------------

Notification = Literal[
    "weekly_digest", "check_in_reminders", "mentions", "activity", "retrospectives", "academy"
]


class ProfileOut(Schema):
    full_name: str
    title: str
    time_zone: str
    notifications: dict[str, bool]

    @staticmethod
    def resolve_notifications(user: User) -> dict[str, bool]:
        return {key: user.wants_email(key) for key, _label in NOTIFICATION_CHOICES}


class ProfilePatch(InSchema):
    full_name: str | None = Field(None, min_length=1, max_length=150)
    title: str | None = Field(None, max_length=150)
    time_zone: str | None = Field(
        None, max_length=64, description="An IANA name, e.g. Europe/Paris."
    )
    notifications: dict[Notification, bool] | None = Field(
        None, description="The emails you want; those left out keep their setting."
    )


@router.get("/me/profile", response=ProfileOut, summary="Your profile and notification preferences")
def get_profile(request: HttpRequest) -> User:
    return actor(request).user


@router.patch(
    "/me/profile",
    response={200: ProfileOut, **INVALID},
    summary="Change your name, job title, time zone or notification preferences",
    openapi_extra=documented_body(ProfilePatch, required=False),
)
def update_profile(request: HttpRequest) -> User:
    """The profile page's form and service; fields left out keep their value."""
    user = actor(request).user
    payload = parse_body(request, ProfilePatch, required=False)
    current = ProfileOut.resolve_notifications(user)
    chosen = dict(current)
    for key, on in (payload.notifications or {}).items():
        chosen[key] = on
    form = ProfileForm(
        {
            "full_name": user.full_name if payload.full_name is None else payload.full_name,
            "title": user.title if payload.title is None else payload.title,
            "time_zone": user.time_zone if payload.time_zone is None else payload.time_zone,
            "notifications": [key for key, on in chosen.items() if on],
        }
    )
    if not form.is_valid():
        raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
    picked = set(form.cleaned_data["notifications"])
    return accounts_services.update_profile(
        user=user,
        full_name=form.cleaned_data["full_name"],
        title=form.cleaned_data["title"],
        time_zone=form.cleaned_data["time_zone"],
        notification_preferences={k: k in picked for k, _label in NOTIFICATION_CHOICES},
    )


# --- people and teams from a CSV file (admins) -----------------------------------------------


class CsvImportOut(Schema):
    created: int
    updated: int
    invitations: int


CSV_IMPORT_FIELDS = {"kind", "file", "send_invitations"}
CSV_IMPORT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["kind", "file"],
                    "additionalProperties": False,
                    "properties": {
                        "kind": {"type": "string", "enum": ["people", "teams"]},
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "A UTF-8 .csv file of at most 2 MB with a header "
                            "row: people `"
                            + ",".join(importing.PEOPLE_COLUMNS)
                            + "`, teams `"
                            + ",".join(importing.TEAM_COLUMNS)
                            + "`.",
                        },
                        "send_invitations": {
                            "type": "string",
                            "enum": ["true", "false"],
                            "default": "true",
                            "description": "People: email an invitation to each new person.",
                        },
                    },
                }
            }
        },
    }
}


@router.post(
    "/people-import",
    response={201: CsvImportOut, **FORBIDDEN, **INVALID},
    summary="Import people or teams from a CSV file (admins; all rows or none)",
    openapi_extra=CSV_IMPORT_BODY,
)
def import_csv(request: HttpRequest) -> Status[Any]:
    """The Import page's form and services: a file with errors is 422 with each error under
    `errors["rows.<line>.<column>"]`, and nothing is written."""
    m = actor(request)
    require_admin(m)
    fields, files = multipart(request, CSV_IMPORT_FIELDS)
    data = fields.copy()
    data["send_invitations"] = "on" if data.get("send_invitations", "true") == "true" else ""
    form = ImportForm(data, files)
    if not form.is_valid():
        raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
    raw = form.cleaned_data["file"].read()
    try:
        if form.cleaned_data["kind"] == "teams":
            result = importing.import_teams_csv(actor=m, data=raw)
        else:
            result = importing.import_people_csv(
                actor=m, data=raw, send_invitations=form.cleaned_data["send_invitations"]
            )
    except importing.ImportRejected as exc:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(f"rows.{error.line}.{error.field}", []).append(error.message)
        raise ValidationError(errors or {"file": "The file was refused."}) from exc
    return Status(
        201,
        CsvImportOut(
            created=result.created, updated=result.updated, invitations=result.invitations
        ),
    )
