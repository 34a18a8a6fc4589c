"""Pages for what the services already allow: contributors, contribution links, a team's
check-in cadence, initiative status, team retrospectives, a team's cycles compared and a cycle's
evaluation. Thin views: access, form, one service or selector, respond."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from okrcoach.core.forms import attach_errors
from okrcoach.core.http import OrgRequest, wants_fragment
from okrcoach.orgs.access import get_for_member_or_404
from okrcoach.orgs.models import Team

from .forms import RetrospectiveForm
from .forms_extra import (
    ContributionLinkForm,
    ContributorsForm,
    InitiativeStatusForm,
    TeamCadenceForm,
)
from .models import ContributionLink, Cycle, Initiative, Objective, Retrospective, TeamSettings
from .permissions import can_check_in, require_edit_objective, visible_q
from .selectors import cycles, lookups
from .services.alignment import link_contribution, set_contributors, unlink_contribution
from .services.check_ins import set_team_cadence
from .services.grading import write_retrospective
from .services.key_results import set_initiative_status


def _posted(request: OrgRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _detail_url(request: OrgRequest, objective: Objective) -> str:
    return reverse("okrs:objective_detail", args=[request.org.slug, objective.public_id])


def _team(request: OrgRequest, team_id: UUID) -> Team:
    return get_for_member_or_404(
        Team.objects.for_org(request.org).select_related("lead__user"),
        request.membership,
        public_id=team_id,
    )


def _cycle(request: OrgRequest, cycle_id: UUID) -> Cycle:
    return get_for_member_or_404(
        Cycle.objects.for_org(request.org), request.membership, public_id=cycle_id
    )


# --- objectives: contributors and contribution links ---------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def objective_contributors(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    actor = request.membership
    objective = lookups.get_objective(actor, objective_id)
    require_edit_objective(actor, objective)
    form = ContributorsForm(
        _posted(request), actor=actor, initial={"contributors": objective.contributors.all()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            set_contributors(
                actor=actor, objective=objective, contributors=form.cleaned_data["contributors"]
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Contributors saved."))
            return redirect(_detail_url(request, objective))
    return render(request, "okrs/contributors.html", {"form": form, "objective": objective})


@login_required
@require_http_methods(["GET", "POST"])
def objective_links(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    actor = request.membership
    objective = lookups.get_objective(actor, objective_id)
    require_edit_objective(actor, objective)
    form = ContributionLinkForm(_posted(request), actor=actor, objective=objective)
    if request.method == "POST" and form.is_valid():
        try:
            link = link_contribution(
                actor=actor,
                objective=objective,
                key_result=form.cleaned_data["key_result"],
                weight=form.cleaned_data["weight"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request,
                _("“%(kr)s” now counts towards this objective.") % {"kr": link.key_result.title},
            )
            return redirect("okrs:objective_links", request.org.slug, objective.public_id)
    links = list(
        ContributionLink.objects.for_org(request.org)
        .filter(objective=objective)
        .select_related("key_result__objective__team", "key_result__owner__user")
        .order_by("pk")
    )
    return render(
        request,
        "okrs/contribution_links.html",
        {"form": form, "objective": objective, "links": links},
    )


@login_required
@require_POST
def link_delete(request: OrgRequest, link_id: UUID) -> HttpResponse:
    actor = request.membership
    link = get_for_member_or_404(
        ContributionLink.objects.for_org(request.org)
        .filter(visible_q(actor, "objective__"))
        .select_related("objective__team", "objective__owner"),
        actor,
        public_id=link_id,
    )
    unlink_contribution(actor=actor, link=link)
    messages.success(request, _("Link removed."))
    return redirect("okrs:objective_links", request.org.slug, link.objective.public_id)


# --- initiatives ---------------------------------------------------------------------------


@login_required
@vary_on_headers("HX-Request")
@require_POST
def initiative_status(request: OrgRequest, initiative_id: UUID) -> HttpResponse:
    actor = request.membership
    initiative = get_for_member_or_404(
        Initiative.objects.for_org(request.org)
        .filter(visible_q(actor, "key_result__objective__"))
        .select_related(
            "owner__user", "key_result__objective__team", "key_result__objective__owner"
        ),
        actor,
        public_id=initiative_id,
    )
    form = InitiativeStatusForm(request.POST)
    saved = False
    if form.is_valid():
        try:
            set_initiative_status(
                actor=actor, initiative=initiative, status=form.cleaned_data["status"]
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            saved = True
    if wants_fragment(request):
        context = {
            "initiative": initiative,
            "can_change": can_check_in(actor, initiative.key_result),
            "saved": saved,
            "form_errors": form.errors.get("status"),
        }
        return render(request, "okrs/partials/initiative_item.html", context)
    if saved:
        messages.success(request, _("Initiative status saved."))
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect(_detail_url(request, initiative.key_result.objective))


# --- teams: cadence, retrospectives, cycles compared ---------------------------------------


def _require_team_lead(request: OrgRequest, team: Team) -> None:
    if not (request.membership.is_admin or team.lead_id == request.membership.pk):
        raise PermissionDenied(_("Only admins and the team's lead can change its cadence."))


@login_required
@require_http_methods(["GET", "POST"])
def team_cadence(request: OrgRequest, team_id: UUID) -> HttpResponse:
    team = _team(request, team_id)
    _require_team_lead(request, team)
    current = (
        TeamSettings.objects.for_org(request.org)
        .filter(team=team)
        .values_list("check_in_cadence_days", flat=True)
        .first()
    )
    form = TeamCadenceForm(
        _posted(request),
        organisation_days=request.org.check_in_cadence_days,
        initial={"check_in_cadence_days": current},
    )
    if request.method == "POST" and form.is_valid():
        try:
            set_team_cadence(
                actor=request.membership, team=team, days=form.cleaned_data["check_in_cadence_days"]
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Check-in cadence saved."))
            return redirect("okrs:team_cycles", request.org.slug, team.public_id)
    return render(request, "okrs/team_cadence.html", {"form": form, "team": team})


@login_required
@require_http_methods(["GET", "POST"])
def team_retrospective(request: OrgRequest, team_id: UUID, cycle_id: UUID) -> HttpResponse:
    actor = request.membership
    team = _team(request, team_id)
    cycle = _cycle(request, cycle_id)
    if not cycles.can_write_team_retrospective(actor, team):
        raise PermissionDenied(_("Only the team's members and admins can write its retrospective."))
    existing = (
        Retrospective.objects.for_org(request.org).filter(team=team, cycle=cycle).first()
        if request.method == "GET"
        else None
    )
    initial = {f: getattr(existing, f) for f in RetrospectiveForm.base_fields} if existing else {}
    form = RetrospectiveForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            write_retrospective(actor=actor, cycle=cycle, team=team, data=form.to_data())
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Team retrospective saved."))
            return redirect("okrs:team_cycles", request.org.slug, team.public_id)
    return render(
        request, "okrs/team_retrospective.html", {"form": form, "team": team, "cycle": cycle}
    )


@login_required
@require_GET
def team_cycles(request: OrgRequest, team_id: UUID) -> HttpResponse:
    team = _team(request, team_id)
    page = cycles.team_cycles_page(request.membership, team)
    return render(request, "okrs/team_cycles.html", {"page": page})


@login_required
@require_GET
def cycle_evaluation(request: OrgRequest, cycle_id: UUID) -> HttpResponse:
    cycle = _cycle(request, cycle_id)
    page = cycles.cycle_evaluation_page(request.membership, cycle)
    return render(request, "okrs/cycle_evaluation.html", {"page": page})
