"""Writes for organisations, people and teams: one function per operation an admin would name.
Each runs in one transaction and writes its audit row inside it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from okrcoach.accounts.models import User
from okrcoach.core import bounds, throttle
from okrcoach.core.audit import audit
from okrcoach.core.mail import Email, queue_email, render_templated
from okrcoach.core.tokens import hash_token

from . import domains
from .access import ensure_same_org, require_admin
from .models import Invitation, Membership, Organisation, Role, Team
from .selectors import subtree_ids
from .signals import member_deactivated


@transaction.atomic
def create_organisation(*, name: str, slug: str, creator: User | None = None) -> Organisation:
    """A new organisation with its company team; the creator, if given, becomes its admin."""
    org = Organisation(name=name, slug=slug)
    org.full_clean()
    org.save()
    Team.objects.create(organisation=org, name=name, slug="company", kind=Team.Kind.COMPANY)
    if creator is not None:
        membership = Membership.objects.create(organisation=org, user=creator, role=Role.ADMIN)
        audit(membership, "orgs.organisation.created", org)
    return org


@transaction.atomic
def update_organisation_settings(
    *,
    actor: Membership,
    name: str,
    cycle_length_months: int,
    cycle_start_month: int,
    check_in_cadence_days: int,
    rollup_includes_children: bool,
    join_domains: str | None = None,
) -> Organisation:
    """`join_domains` None leaves the list of email domains that may join unchanged."""
    require_admin(actor)
    org = Organisation.objects.select_for_update().get(pk=actor.organisation_id)
    before = {
        "cycle_length_months": org.cycle_length_months,
        "cycle_start_month": org.cycle_start_month,
        "check_in_cadence_days": org.check_in_cadence_days,
        "join_domains": org.join_domains,
    }
    if join_domains is not None:
        org.join_domains = _check_join_domains(org, join_domains)
    org.name = name
    org.cycle_length_months = cycle_length_months
    org.cycle_start_month = cycle_start_month
    org.check_in_cadence_days = check_in_cadence_days
    org.rollup_includes_children = rollup_includes_children
    org.full_clean()
    org.save()
    audit(actor, "orgs.organisation.settings_changed", org, data={"before": before})
    return org


def _check_join_domains(org: Organisation, text: str) -> str:
    """The admin's list of email domains, normalised; refused: public mail providers, things
    that are not domains, and a domain another organisation of the installation lists already
    (its people would not know which one they join)."""
    listed, errors = domains.parse(text)
    others = Organisation.objects.exclude(pk=org.pk).exclude(join_domains="")
    claimed = {
        d for other in others.only("join_domains") for d in domains.listed(other.join_domains)
    }
    errors += [
        _("%(d)s is listed by another organisation on this installation.") % {"d": d}
        for d in listed
        if d in claimed
    ]
    if errors:
        raise ValidationError({"join_domains": errors})
    return " ".join(listed)


# --- a new installation: its first organisation ---------------------------------------------


@transaction.atomic
def start_organisation(
    *, name: str, slug: str, admin_email: str, admin_name: str = ""
) -> tuple[Organisation, Invitation]:
    """An organisation whose first admin joins through an emailed invitation (the command
    line's way: nobody has to choose a password for someone else). The link exists only in
    the email (the worker issues it when it sends)."""
    email = admin_email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"admin_email": exc.messages}) from exc
    org = create_organisation(name=name.strip(), slug=slug)
    [invitation] = create_invitations(
        actor=None,
        organisation=org,
        people=[InvitedPerson(email=email, full_name=admin_name.strip(), role=Role.ADMIN)],
    )
    audit(
        None,
        "orgs.organisation.created",
        org,
        organisation=org,
        data={"first_admin_invited": email},
    )
    return org, invitation


@transaction.atomic
def sign_up_organisation(
    *, name: str, slug: str, full_name: str, email: str, password: str
) -> Membership:
    """The setup form (an empty installation) and self-service sign-up: a new account that
    becomes the new organisation's first admin."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("An account with this email exists: sign in, then ask to be invited.")}
        )
    user = User.objects.create_user(email, password=password, full_name=full_name.strip())
    org = create_organisation(name=name.strip(), slug=slug, creator=user)
    return Membership.objects.for_org(org).select_related("organisation", "user").get(user=user)


# --- invitations -----------------------------------------------------------------------------


def _invitation_url(raw_token: str) -> str:
    return settings.SITE_URL + reverse("orgs:accept_invitation", args=[raw_token])


INVITATION_EMAIL = "orgs.invitation"


@dataclass(frozen=True)
class InvitedPerson:
    email: str
    full_name: str = ""
    title: str = ""
    role: str = Role.MEMBER
    team: Team | None = None
    manager: Membership | None = None
    joined_by_domain: bool = False


def create_invitations(
    *,
    actor: Membership | None,
    people: list[InvitedPerson],
    organisation: Organisation | None = None,
) -> list[Invitation]:
    """Invite these people (inside the caller's transaction): a pending invitation of the same
    address is replaced; one task emails them all after commit. The stored hash is of a token
    nobody knows: the worker issues the link when it sends the mail (`render_invitation`), so
    neither the task queue nor the invitation table holds a live link. A fixed number of
    queries per 500 people. `actor` None: the installation itself invites (an organisation's
    first admin, `organisation` given)."""
    org = organisation if actor is None else actor.organisation
    assert org is not None
    now = timezone.now()
    emails = [p.email for p in people]
    for start in range(0, len(emails), 500):
        Invitation.objects.for_org(org).filter(
            email__in=emails[start : start + 500], accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
    invitations = Invitation.objects.for_org(org).bulk_create(
        [
            Invitation(
                organisation=org,
                email=p.email,
                full_name=p.full_name,
                title=p.title,
                role=p.role,
                team=p.team,
                manager=p.manager,
                token_hash=hash_token(secrets.token_urlsafe(32)),
                invited_by=actor,
                joined_by_domain=p.joined_by_domain,
                expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
            )
            for p in people
        ],
        batch_size=500,
    )
    queue_email(kind=INVITATION_EMAIL, object_ids=[i.pk for i in invitations])
    return invitations


def render_invitation(invitation_id: int) -> Email | None:
    """The invitation email, with a fresh link, at send time (the worker): the new token's hash
    replaces the stored one, so only the emailed link works. None once it is no longer
    pending."""
    invitation = (
        Invitation.all_orgs.select_related("organisation", "invited_by__user")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_pending:
        return None
    raw = secrets.token_urlsafe(32)
    Invitation.all_orgs.filter(pk=invitation.pk).update(token_hash=hash_token(raw))
    inviter = invitation.invited_by.user if invitation.invited_by else None
    return render_templated(
        to=invitation.email,
        template="orgs/email/invitation",
        context={
            "organisation": invitation.organisation,
            "inviter": inviter,
            "url": _invitation_url(raw),
            "days": settings.INVITATION_VALID_DAYS,
            "full_name": invitation.full_name,
            "joined_by_domain": invitation.joined_by_domain,
        },
    )


def _throttle_invitation(actor: Membership, email: str) -> None:
    """Invitation emails per recipient address and per inviting account (core/throttle.py)."""
    window = settings.THROTTLE_EMAIL_WINDOW
    if not throttle.take(
        "invite-address", email, settings.THROTTLE_EMAILS_PER_ACCOUNT, window
    ).allowed:
        raise ValidationError(
            {"email": _("This address was sent several invitations just now; try again later.")}
        )
    if not throttle.take(
        "invite-admin", str(actor.user_id), settings.THROTTLE_INVITATIONS_PER_ADMIN, window
    ).allowed:
        raise ValidationError({"email": _("You sent many invitations just now; try again later.")})


@transaction.atomic
def invite_member(
    *,
    actor: Membership,
    email: str,
    full_name: str = "",
    role: str = Role.MEMBER,
    team: Team | None = None,
    manager: Membership | None = None,
) -> Invitation:
    """Email a link that lets `email` join the organisation. Refused when that person is
    already an active member."""
    require_admin(actor)
    ensure_same_org(actor, team, manager)
    email = email.strip().lower()
    validate_email(email)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if (
        Membership.objects.for_org(actor.organisation)
        .filter(user__email__iexact=email, is_active=True)
        .exists()
    ):
        raise ValidationError({"email": _("This person is already a member.")})
    _throttle_invitation(actor, email)
    # A fresh invitation replaces any pending one for the same address.
    Invitation.objects.for_org(actor.organisation).filter(
        email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    bounds.require(bounds.check(texts={"full_name": (full_name, 150)}))
    [invitation] = create_invitations(
        actor=actor,
        people=[
            InvitedPerson(email=email, full_name=full_name, role=role, team=team, manager=manager)
        ],
    )
    audit(actor, "orgs.invitation.sent", invitation, data={"email": email, "role": role})
    return invitation


@transaction.atomic
def revoke_invitation(*, actor: Membership, invitation: Invitation) -> None:
    require_admin(actor)
    ensure_same_org(actor, invitation)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation was already accepted."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit(actor, "orgs.invitation.revoked", invitation)


def find_pending_invitation(raw_token: str) -> Invitation | None:
    """The invitation behind an emailed token, if it can still be accepted (any organisation:
    the token itself is the proof)."""
    invitation = (
        Invitation.all_orgs.select_related("organisation", "invited_by__user")
        .filter(token_hash=hash_token(raw_token))
        .first()
    )
    if invitation is None or not invitation.is_pending:
        return None
    return invitation


@transaction.atomic
def accept_invitation(
    *, invitation: Invitation, user: User | None, full_name: str = "", password: str = ""
) -> Membership:
    """Join the organisation: an existing signed-in user, or a new account from the form."""
    invitation = Invitation.all_orgs.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError(_("This invitation has expired or was already used."))
    if invitation.joined_by_domain and not domain_may_join(
        invitation.organisation, invitation.email
    ):
        raise ValidationError(_("This organisation no longer lets people join by email domain."))
    if user is None:
        user_model = get_user_model()
        existing = user_model.objects.filter(email__iexact=invitation.email).first()
        if existing is not None and _never_signed_in(existing):
            # An account an import made for this address: the link in their mailbox proves
            # the address is theirs, so they choose its password now.
            existing.set_password(password)
            existing.full_name = (full_name or existing.full_name).strip()
            existing.full_clean(exclude=["password", "email"])
            existing.save(update_fields=["password", "full_name"])
            user = existing
        elif existing is not None:
            raise ValidationError(
                {"email": _("An account with this email exists: sign in first, then accept.")}
            )
        else:
            user = user_model.objects.create_user(
                invitation.email, password=password, full_name=full_name or invitation.full_name
            )
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(_("This invitation was sent to another email address."))
    membership, _created = Membership.objects.update_or_create(
        organisation=invitation.organisation,
        user=user,
        defaults={
            "role": invitation.role,
            "team": invitation.team,
            "manager": invitation.manager,
            "is_active": True,
            "deactivated_at": None,
            **({"title": invitation.title} if invitation.title else {}),
        },
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    if invitation.joined_by_domain:
        audit(
            membership,
            "orgs.member.joined_by_domain",
            membership,
            data={"email": invitation.email, "domain": domains.domain_of(invitation.email)},
        )
    else:
        audit(membership, "orgs.invitation.accepted", invitation)
    return membership


# --- joining by email domain -----------------------------------------------------------------


def domain_may_join(org: Organisation, email: str) -> bool:
    """The installation allows it, the organisation lists the address's domain, and the
    domain is no public mail provider."""
    domain = domains.domain_of(email)
    return (
        settings.ALLOW_DOMAIN_JOIN
        and not domains.is_public(domain)
        and domain in domains.listed(org.join_domains)
    )


@transaction.atomic
def request_domain_join(*, email: str, full_name: str = "") -> list[Invitation]:
    """A person asks to join the organisation that lists their email domain: they are emailed
    a link (by the worker, like an invitation), and become a member only by following it, so
    the address is proven before anything is granted. Refused beside the email field when no
    organisation lists the domain. Someone already an active member is emailed nothing (and
    told the same as everyone else, so addresses cannot be probed)."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": exc.messages}) from exc
    domain = domains.domain_of(email)
    if not settings.ALLOW_DOMAIN_JOIN:
        raise ValidationError({"email": _("Joining by email domain is off on this installation.")})
    if domains.is_public(domain):
        raise ValidationError(
            {"email": _("Use your work address: %(d)s is a public mail provider.") % {"d": domain}}
        )
    orgs = [
        o
        for o in Organisation.objects.exclude(join_domains="").only("pk", "name", "join_domains")
        if domain_may_join(o, email)
    ]
    if not orgs:
        raise ValidationError(
            {"email": _("No organisation here lets people join from %(d)s.") % {"d": domain}}
        )
    window = settings.THROTTLE_EMAIL_WINDOW
    if not throttle.take(
        "join-address", email, settings.THROTTLE_EMAILS_PER_ACCOUNT, window
    ).allowed:
        raise ValidationError(
            {"email": _("This address was sent several links just now; try again later.")}
        )
    invitations: list[Invitation] = []
    for org in orgs:
        if (
            Membership.objects.for_org(org)
            .filter(user__email__iexact=email, is_active=True)
            .exists()
        ):
            continue
        person = InvitedPerson(
            email=email, full_name=full_name.strip()[:150], role=Role.MEMBER, joined_by_domain=True
        )
        [invitation] = create_invitations(actor=None, organisation=org, people=[person])
        audit(
            None,
            "orgs.member.domain_join_requested",
            invitation,
            organisation=org,
            data={"email": email, "domain": domain},
        )
        invitations.append(invitation)
    return invitations


def _never_signed_in(user: User) -> bool:
    """An account created for someone (by a people import) that nobody has used yet."""
    return not user.has_usable_password() and user.last_login is None


# --- members ---------------------------------------------------------------------------------


def _check_manager(member: Membership, manager: Membership | None) -> None:
    if manager is None:
        return
    if manager.pk == member.pk:
        raise ValidationError({"manager": _("A person cannot be their own manager.")})
    if not manager.is_active:
        raise ValidationError({"manager": _("The manager must be an active member.")})
    if (
        member.pk
        and Membership.objects.for_org(member.organisation)
        .filter(pk=manager.pk)
        .filter(pk__in=subtree_ids(member))
        .exists()
    ):
        raise ValidationError(
            {
                "manager": _("%(name)s reports to this person: that would make a loop.")
                % {"name": manager.user.full_name}
            }
        )


def _active_admin_count(organisation: Organisation) -> int:
    return Membership.objects.for_org(organisation).filter(role=Role.ADMIN, is_active=True).count()


@transaction.atomic
def update_member(
    *,
    actor: Membership,
    member: Membership,
    role: str,
    team: Team | None,
    manager: Membership | None,
    title: str | None = None,
) -> Membership:
    require_admin(actor)
    ensure_same_org(actor, member, team, manager)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if (
        member.role == Role.ADMIN
        and role != Role.ADMIN
        and _active_admin_count(member.organisation) <= 1
    ):
        raise ValidationError({"role": _("The organisation needs at least one admin.")})
    _check_manager(member, manager)
    if title is not None:
        bounds.require(bounds.check(texts={"title": (title, 150)}))
    before = {
        "role": member.role,
        "team": member.team_id,
        "manager": member.manager_id,
        "title": member.title,
    }
    member.role = role
    member.team = team
    member.manager = manager
    if title is not None:
        # This organisation's title for the person (never the person's own profile).
        member.title = title.strip()
    member.save(update_fields=["role", "team", "manager", "title"])
    audit(actor, "orgs.member.updated", member, data={"before": before})
    return member


@transaction.atomic
def deactivate_member(*, actor: Membership, member: Membership) -> Membership:
    """The person can no longer sign in to this organisation; everything they wrote stays."""
    require_admin(actor)
    ensure_same_org(actor, member)
    if member.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    if member.role == Role.ADMIN and _active_admin_count(member.organisation) <= 1:
        raise ValidationError(_("The organisation needs at least one admin."))
    member.is_active = False
    member.deactivated_at = timezone.now()
    member.save(update_fields=["is_active", "deactivated_at"])
    audit(actor, "orgs.member.deactivated", member)
    member_deactivated.send(sender=Membership, membership=member, actor=actor)
    return member


@transaction.atomic
def reactivate_member(*, actor: Membership, member: Membership) -> Membership:
    require_admin(actor)
    ensure_same_org(actor, member)
    member.is_active = True
    member.deactivated_at = None
    member.save(update_fields=["is_active", "deactivated_at"])
    audit(actor, "orgs.member.reactivated", member)
    return member


# --- teams -----------------------------------------------------------------------------------


def _unique_team_slug(organisation: Organisation, name: str, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:70] or "team"
    slug, n = base, 2
    existing = Team.objects.for_org(organisation)
    if exclude_pk:
        existing = existing.exclude(pk=exclude_pk)
    taken = set(existing.filter(slug__startswith=base).values_list("slug", flat=True))
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def save_team(
    *,
    actor: Membership,
    team: Team | None,
    name: str,
    parent: Team | None,
    lead: Membership | None,
    kind: str = Team.Kind.TEAM,
) -> Team:
    """Create a team (team=None) or change one. The tree stays acyclic and keeps one root."""
    require_admin(actor)
    ensure_same_org(actor, team, parent, lead)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the team a name.")})
    if (
        team is not None
        and parent is not None
        and (
            parent.pk == team.pk
            or Team.objects.for_org(actor.organisation)
            .descendants(team)
            .filter(pk=parent.pk)
            .exists()
        )
    ):
        raise ValidationError({"parent": _("A team cannot sit below itself.")})
    if parent is None and (team is None or team.parent_id is not None):
        raise ValidationError({"parent": _("Choose the team this one belongs to.")})
    if lead is not None and not lead.is_active:
        raise ValidationError({"lead": _("The lead must be an active member.")})
    created = team is None
    if team is None:
        team = Team(organisation=actor.organisation)
    team.name = name
    team.parent = parent
    team.lead = lead
    team.kind = kind if kind in Team.Kind.values else Team.Kind.TEAM
    team.slug = _unique_team_slug(actor.organisation, name, exclude_pk=team.pk)
    team.save()
    audit(actor, "orgs.team.created" if created else "orgs.team.updated", team)
    return team


@transaction.atomic
def delete_team(*, actor: Membership, team: Team) -> None:
    require_admin(actor)
    ensure_same_org(actor, team)
    if team.parent_id is None:
        raise ValidationError(_("The company team cannot be deleted."))
    if Team.objects.for_org(actor.organisation).filter(parent=team).exists():
        raise ValidationError(_("Move or delete its sub-teams first."))
    if Membership.objects.for_org(actor.organisation).filter(team=team, is_active=True).exists():
        raise ValidationError(_("Move its members to another team first."))
    audit(actor, "orgs.team.deleted", team)
    team.delete()
