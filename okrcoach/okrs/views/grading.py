"""Grading and retrospectives: the grading page, grading a key result, the retrospective of an
objective and of a team for a cycle."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from okrcoach.core.forms import Saved, posted, submit
from okrcoach.core.http import OrgRequest, render_page_or_fragment, wants_fragment

from ..forms import GradeForm, RetrospectiveForm
from ..models import Retrospective
from ..permissions import can_write_team_retrospective, require_edit_objective
from ..selectors import lookups, pages
from ..services.grading import grade_key_result, write_retrospective
from .redirects import objective_url


@login_required
def grading(request: OrgRequest, cycle_id: UUID) -> HttpResponse:
    cycle = lookups.get_cycle(request.membership, cycle_id)
    page = pages.grading_page(request.membership, cycle, page_number=request.GET.get("page") or 1)
    return render(request, "okrs/grading.html", {"page": page})


@login_required
@require_POST
def grade(request: OrgRequest, key_result_id: UUID) -> HttpResponse:
    kr = lookups.get_key_result(request.membership, key_result_id)
    form = GradeForm(request.POST, key_result=kr)
    saved = False
    outcome = submit(
        form,
        lambda: grade_key_result(
            actor=request.membership,
            key_result=kr,
            score=form.cleaned_data["score"],
            reason=form.cleaned_data["score_reason"],
        ),
    )
    if isinstance(outcome, Saved):
        if not wants_fragment(request):
            messages.success(request, _("Grade saved."))
            return redirect(
                "okrs:grading", org_slug=request.org.slug, cycle_id=kr.objective.cycle.public_id
            )
        saved, form = True, GradeForm(key_result=kr)
    return render_page_or_fragment(
        request,
        "okrs/grade.html",
        "okrs/partials/grade_row.html",
        {"kr": kr, "form": form, "saved": saved},
    )


@login_required
@require_http_methods(["GET", "POST"])
def retrospective(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    actor = request.membership
    objective = lookups.get_objective(actor, objective_id)
    require_edit_objective(actor, objective)
    existing = objective.retrospectives.first() if request.method == "GET" else None
    initial = {f: getattr(existing, f) for f in RetrospectiveForm.base_fields} if existing else {}
    form = RetrospectiveForm(posted(request), initial=initial)
    outcome = submit(
        form,
        lambda: write_retrospective(
            actor=actor, cycle=objective.cycle, objective=objective, data=form.to_data()
        ),
    )
    if isinstance(outcome, Saved):
        messages.success(request, _("Retrospective saved."))
        return redirect(objective_url(request, objective))
    return render(request, "okrs/retrospective.html", {"form": form, "objective": objective})


@login_required
@require_http_methods(["GET", "POST"])
def team_retrospective(request: OrgRequest, team_id: UUID, cycle_id: UUID) -> HttpResponse:
    actor = request.membership
    team = lookups.get_team(request.membership, team_id)
    cycle = lookups.get_cycle(request.membership, cycle_id)
    if not can_write_team_retrospective(actor, team):
        raise PermissionDenied(_("Only the team's members and admins can write its retrospective."))
    existing = (
        Retrospective.objects.for_org(request.org).filter(team=team, cycle=cycle).first()
        if request.method == "GET"
        else None
    )
    initial = {f: getattr(existing, f) for f in RetrospectiveForm.base_fields} if existing else {}
    form = RetrospectiveForm(posted(request), initial=initial)
    outcome = submit(
        form,
        lambda: write_retrospective(actor=actor, cycle=cycle, team=team, data=form.to_data()),
    )
    if isinstance(outcome, Saved):
        messages.success(request, _("Team retrospective saved."))
        return redirect("okrs:team_cycles", request.org.slug, team.public_id)
    return render(
        request, "okrs/team_retrospective.html", {"form": form, "team": team, "cycle": cycle}
    )
