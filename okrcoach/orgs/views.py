from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from okrcoach.core import bounds
from okrcoach.core.forms import Saved, attempt, submit
from okrcoach.core.http import OrgRequest, render_page_or_fragment
from okrcoach.core.models import AuditEvent

from . import importing, selectors, services
from .access import admin_required, get_for_member_or_404
from .forms import (
    AcceptInvitationForm,
    ImportForm,
    InviteForm,
    MemberForm,
    OrganisationSettingsForm,
    TeamForm,
)
from .home import home_panels
from .models import Invitation, Membership, Organisation, Team
from .person_panels import person_panels


def root(request: HttpRequest) -> HttpResponse:
    """Send a signed-in person to the organisation they used last (or their first)."""
    if not request.user.is_authenticated:
        # An empty installation offers its one-time setup form.
        if not Organisation.objects.exists():
            return redirect("orgs:setup")
        return redirect("accounts:login")
    memberships = Membership.all_orgs.filter(user=request.user, is_active=True).select_related(
        "organisation"
    )
    last = request.session.get("org_slug")
    chosen = next((m for m in memberships if m.organisation.slug == last), None) or next(
        iter(memberships), None
    )
    if chosen is None:
        return render(request, "orgs/no_organisation.html")
    return redirect("orgs:home", org_slug=chosen.organisation.slug)


@login_required
def home(request: OrgRequest) -> HttpResponse:
    m = request.membership
    reports = list(selectors.direct_reports(m))
    team_page = selectors.team_page(m.team, request.org) if m.team is not None else None
    # The team card lists only teammates not already listed as reports (a lead's team is
    # usually her reports), and never the member herself.
    listed = {p.pk for p in reports} | {m.pk}
    context: dict[str, Any] = {
        "reports": reports,
        "team_page": team_page,
        "teammates": [p for p in team_page.members if p.pk not in listed] if team_page else [],
        "managers": selectors.manager_chain(m),
        "stats": selectors.organisation_stats(request.org),
        "pending_invitations": (
            Invitation.objects.for_org(request.org)
            .filter(accepted_at__isnull=True, revoked_at__isnull=True)
            .count()
            if m.is_admin
            else None
        ),
    }
    context["panels"] = home_panels(m, context)
    return render(request, "orgs/home.html", context)


PEOPLE_TABS = {"all", "reports", "subtree"}


@login_required
@vary_on_headers("HX-Request")
def people_list(request: OrgRequest) -> HttpResponse:
    tab = request.GET.get("tab", "all")
    tab = tab if tab in PEOPLE_TABS else "all"
    # PostgreSQL refuses a NUL byte in a query parameter (a 500): control characters go.
    query = bounds.strip_control_characters(request.GET.get("q", "")).strip()[:100]
    team_id = request.GET.get("team", "")
    team = None
    if team_id:
        team_uuid = _uuid_or_none(team_id)
        if team_uuid is not None:
            team = Team.objects.for_org(request.org).filter(public_id=team_uuid).first()
    if tab == "reports":
        qs = selectors.direct_reports(request.membership)
    elif tab == "subtree":
        qs = selectors.reporting_subtree(request.membership)
    else:
        qs = selectors.people(request.org)
    if query:
        qs = qs.filter(
            Q(user__full_name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(title__icontains=query)
            | Q(title="", user__title__icontains=query)
        )
    if team is not None:
        qs = qs.filter(
            team__in=Team.objects.for_org(request.org).descendants(team, include_self=True)
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "tab": tab,
        "query": query,
        "team": team,
        "teams": selectors.team_choices(request.org),
        "report_count": request.membership.active_report_count,  # type: ignore[attr-defined]
    }
    return render_page_or_fragment(
        request, "orgs/people_list.html", "orgs/partials/people_table.html", context
    )


def _uuid_or_none(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


@login_required
def person_detail(request: OrgRequest, person_id: UUID) -> HttpResponse:
    person = get_for_member_or_404(
        selectors.people(request.org, include_inactive=True),
        request.membership,
        public_id=person_id,
    )
    context: dict[str, Any] = {"page": selectors.person_page(person, request.org)}
    context["panels"] = person_panels(request.membership, person, context)
    return render(request, "orgs/person_detail.html", context)


def _directory_page(raw: str | None) -> int:
    """The teams directory's page: absent or not a number is the first page (a mangled link
    still lands somewhere), a number out of range is a page that does not exist (404)."""
    if not raw or not (raw.isascii() and raw.isdigit()):  # "²".isdigit(), but int("²") fails
        return 1
    # Bounded so the offset stays far inside what a database integer holds (and a number of
    # thousands of digits, which int() refuses, never reaches it).
    if len(raw) > 6 or not 0 < int(raw) <= 100_000:
        raise Http404
    return int(raw)


@login_required
@vary_on_headers("HX-Request")
def team_list(request: OrgRequest) -> HttpResponse:
    """The teams directory: a page of the tree's top two levels, a page of one team's
    sub-teams (`?parent=`) or of a search (`?q=`); for htmx the rows alone ("Show 50 more"
    appends them), otherwise the whole page with its page links."""
    page = _directory_page(request.GET.get("page"))
    query = bounds.strip_control_characters(request.GET.get("q", "")).strip()[:100]
    parent_id = request.GET.get("parent", "")
    if parent_id:
        parent_uuid = _uuid_or_none(parent_id)
        if parent_uuid is None:
            raise Http404
        parent = get_for_member_or_404(
            Team.objects.for_org(request.org), request.membership, public_id=parent_uuid
        )
        directory = selectors.team_directory_children(request.org, parent, page)
    elif query:
        directory = selectors.team_directory_search(request.org, query, page)
    else:
        directory = selectors.team_directory_top(request.org, page)
    if page > 1 and not directory.rows:
        raise Http404
    return render_page_or_fragment(
        request, "orgs/team_list.html", "orgs/partials/team_rows.html", {"directory": directory}
    )


@login_required
def team_detail(request: OrgRequest, team_id: UUID) -> HttpResponse:
    team = get_for_member_or_404(
        Team.objects.for_org(request.org).select_related("lead__user", "parent"),
        request.membership,
        public_id=team_id,
    )
    return render(
        request, "orgs/team_detail.html", {"page": selectors.team_page(team, request.org)}
    )


# --- admin -----------------------------------------------------------------------------------


@login_required
@admin_required
@require_http_methods(["GET", "POST"])
def manage_people(request: OrgRequest) -> HttpResponse:
    form = InviteForm(request.POST or None, org=request.org)
    outcome = submit(
        form, lambda: services.invite_member(actor=request.membership, **form.cleaned_data)
    )
    if isinstance(outcome, Saved):
        messages.success(
            request, _("Invitation sent to %(email)s.") % {"email": outcome.value.email}
        )
        return redirect("orgs:manage_people", org_slug=request.org.slug)
    show_inactive = request.GET.get("inactive") == "1"
    members = selectors.people(request.org, include_inactive=True)
    if not show_inactive:
        members = members.filter(is_active=True)
    context = {
        "form": form,
        "page": Paginator(members, 100).get_page(request.GET.get("page")),
        "show_inactive": show_inactive,
        "invitations": list(
            Invitation.objects.for_org(request.org)
            .select_related("team", "invited_by__user")
            .filter(accepted_at__isnull=True, revoked_at__isnull=True)[:100]
        ),
    }
    return render(request, "orgs/manage_people.html", context)


@login_required
@admin_required
@require_http_methods(["GET", "POST"])
def edit_member(request: OrgRequest, person_id: UUID) -> HttpResponse:
    member = get_for_member_or_404(
        selectors.people(request.org, include_inactive=True),
        request.membership,
        public_id=person_id,
    )
    initial = {
        "title": member.title,
        "role": member.role,
        "team": member.team,
        "manager": member.manager,
    }
    form = MemberForm(request.POST or None, org=request.org, initial=initial)
    outcome = submit(
        form,
        lambda: services.update_member(
            actor=request.membership, member=member, **form.cleaned_data
        ),
    )
    if isinstance(outcome, Saved):
        messages.success(request, _("%(name)s was updated.") % {"name": member.user.full_name})
        return redirect("orgs:person_detail", org_slug=request.org.slug, person_id=member.public_id)
    return render(request, "orgs/edit_member.html", {"form": form, "member": member})


@login_required
@admin_required
@require_POST
def set_member_active(request: OrgRequest, person_id: UUID, active: bool) -> HttpResponse:
    member = get_for_member_or_404(
        Membership.objects.for_org(request.org).select_related("user"),
        request.membership,
        public_id=person_id,
    )
    change = services.reactivate_member if active else services.deactivate_member
    outcome = attempt(request, lambda: change(actor=request.membership, member=member))
    if isinstance(outcome, Saved):
        if active:
            messages.success(
                request, _("%(name)s can sign in again.") % {"name": member.user.full_name}
            )
        else:
            messages.success(
                request,
                _("%(name)s was deactivated. Their OKRs and history stay.")
                % {"name": member.user.full_name},
            )
    return redirect("orgs:person_detail", org_slug=request.org.slug, person_id=member.public_id)


@login_required
@admin_required
@require_POST
def revoke_invitation(request: OrgRequest, invitation_id: UUID) -> HttpResponse:
    invitation = get_for_member_or_404(
        Invitation.objects.for_org(request.org), request.membership, public_id=invitation_id
    )
    outcome = attempt(
        request,
        lambda: services.revoke_invitation(actor=request.membership, invitation=invitation),
    )
    if isinstance(outcome, Saved):
        messages.success(
            request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email}
        )
    return redirect("orgs:manage_people", org_slug=request.org.slug)


@login_required
@admin_required
@require_http_methods(["GET", "POST"])
def edit_team(request: OrgRequest, team_id: UUID | None = None) -> HttpResponse:
    team = None
    if team_id is not None:
        team = get_for_member_or_404(
            Team.objects.for_org(request.org).select_related("parent", "lead"),
            request.membership,
            public_id=team_id,
        )
    is_root = team is not None and team.parent_id is None
    initial = (
        {"name": team.name, "kind": team.kind, "parent": team.parent, "lead": team.lead}
        if team
        else {}
    )
    form = TeamForm(request.POST or None, org=request.org, is_root=is_root, initial=initial)
    outcome = submit(
        form,
        lambda: services.save_team(
            actor=request.membership,
            team=team,
            name=form.cleaned_data["name"],
            parent=form.cleaned_data.get("parent") if not is_root else None,
            lead=form.cleaned_data["lead"],
            kind=form.cleaned_data["kind"],
        ),
    )
    if isinstance(outcome, Saved):
        saved = outcome.value
        messages.success(request, _("Team “%(name)s” was saved.") % {"name": saved.name})
        return redirect("orgs:team_detail", org_slug=request.org.slug, team_id=saved.public_id)
    return render(request, "orgs/edit_team.html", {"form": form, "team": team})


@login_required
@admin_required
@require_POST
def delete_team(request: OrgRequest, team_id: UUID) -> HttpResponse:
    team = get_for_member_or_404(
        Team.objects.for_org(request.org), request.membership, public_id=team_id
    )
    outcome = attempt(request, lambda: services.delete_team(actor=request.membership, team=team))
    if not isinstance(outcome, Saved):
        return redirect("orgs:team_detail", org_slug=request.org.slug, team_id=team.public_id)
    messages.success(request, _("Team “%(name)s” was deleted.") % {"name": team.name})
    return redirect("orgs:team_list", org_slug=request.org.slug)


@login_required
@admin_required
@require_http_methods(["GET", "POST"])
def import_csv(request: OrgRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[importing.RowError] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            if form.cleaned_data["kind"] == "teams":
                result = importing.import_teams_csv(actor=request.membership, data=data)
            else:
                result = importing.import_people_csv(
                    actor=request.membership,
                    data=data,
                    send_invitations=form.cleaned_data["send_invitations"],
                )
        except importing.ImportRejected as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("Import applied: %(c)d created, %(u)d updated, %(i)d invitations sent.")
                % {"c": result.created, "u": result.updated, "i": result.invitations},
            )
            return redirect("orgs:manage_people", org_slug=request.org.slug)
    return render(
        request,
        "orgs/import.html",
        {
            "form": form,
            "errors": errors,
            "people_columns": importing.PEOPLE_COLUMNS,
            "team_columns": importing.TEAM_COLUMNS,
        },
    )


@login_required
@admin_required
@require_http_methods(["GET", "POST"])
def organisation_settings(request: OrgRequest) -> HttpResponse:
    form = OrganisationSettingsForm(request.POST or None, instance=request.org)
    outcome = submit(
        form,
        lambda: services.update_organisation_settings(
            actor=request.membership, **form.cleaned_data
        ),
    )
    if isinstance(outcome, Saved):
        messages.success(request, _("Settings saved."))
        return redirect("orgs:settings", org_slug=request.org.slug)
    return render(request, "orgs/settings.html", {"form": form})


@login_required
@admin_required
@vary_on_headers("HX-Request")
def audit_log(request: OrgRequest) -> HttpResponse:
    action = bounds.strip_control_characters(request.GET.get("action", "")).strip()[:100]
    actor = bounds.strip_control_characters(request.GET.get("actor", "")).strip()[:200]
    qs = AuditEvent.objects.for_org(request.org).select_related("actor_user")
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    context = {
        "page": Paginator(qs, 50).get_page(request.GET.get("page")),
        "action": action,
        "actor": actor,
        "action_prefixes": ["accounts", "orgs", "access"],
    }
    return render_page_or_fragment(
        request, "orgs/audit_log.html", "orgs/partials/audit_rows.html", context
    )


# --- invitations (no organisation in the URL: the token is the proof) ------------------------


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.find_pending_invitation(token)
    if invitation is None:
        return render(request, "orgs/invitation_invalid.html", status=404)
    user = request.user if request.user.is_authenticated else None
    form = (
        None
        if user
        else AcceptInvitationForm(
            request.POST or None,
            email=invitation.email,
            initial={"full_name": invitation.full_name},
        )
    )
    if request.method == "POST":

        def accept() -> Membership:
            return services.accept_invitation(
                invitation=invitation,
                user=user,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password1"] if form else "",
            )

        # A signed-in person accepts with a bare button (a refusal becomes a message); a new
        # person fills in the form (a refusal goes beside its fields).
        outcome = attempt(request, accept) if form is None else submit(form, accept)
        if isinstance(outcome, Saved):
            if user is None:
                login(
                    request, outcome.value.user, backend="django.contrib.auth.backends.ModelBackend"
                )
            messages.success(
                request, _("Welcome to %(org)s.") % {"org": invitation.organisation.name}
            )
            return redirect("orgs:home", org_slug=invitation.organisation.slug)
    return render(request, "orgs/accept_invitation.html", {"invitation": invitation, "form": form})
