"""Objectives: create, edit (409 on a stale save), delete, carry over into a later cycle."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from okrcoach.core.forms import Saved, attempt, posted, submit
from okrcoach.core.http import OrgRequest, redirect_after_post, render_page_or_fragment

from ..forms import ObjectiveForm
from ..models import Objective
from ..permissions import require_edit_objective
from ..selectors import cycles, lookups
from ..services.objectives import (
    carry_over_objective,
    create_objective,
    delete_objective,
    update_objective,
)
from .redirects import objective_url


def _objective_form_response(
    request: OrgRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render_page_or_fragment(
        request,
        "okrs/objective_form.html",
        "okrs/partials/objective_form.html",
        context,
        status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_create(request: OrgRequest) -> HttpResponse:
    actor = request.membership
    cycle, _cycles = cycles.pick_cycle(request.org, request.GET.get("cycle"))
    if cycle is None:
        messages.error(request, _("There is no cycle yet: an admin opens one first."))
        return redirect("okrs:my_okrs", org_slug=request.org.slug)
    initial: dict[str, Any] = {
        "owner": actor,
        "team": actor.team,
        "level": Objective.Level.PERSONAL,
    }
    if parent_id := request.GET.get("parent"):
        initial["parent"] = lookups.get_objective(actor, parent_id)
    form = ObjectiveForm(posted(request), actor=actor, cycle=cycle, initial=initial)
    outcome = submit(form, lambda: create_objective(actor=actor, cycle=cycle, data=form.to_data()))
    if isinstance(outcome, Saved):
        messages.success(request, _("Objective created. Now add its key results."))
        return redirect_after_post(request, objective_url(request, outcome.value))
    return _objective_form_response(request, {"form": form, "cycle": cycle, "objective": None})


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    actor = request.membership
    objective = lookups.get_objective(actor, objective_id)
    require_edit_objective(actor, objective)
    form = ObjectiveForm(
        posted(request),
        actor=actor,
        cycle=objective.cycle,
        objective=objective,
        initial=ObjectiveForm.initial_from(objective),
    )
    outcome = submit(
        form,
        lambda: update_objective(
            actor=actor,
            objective=objective,
            version=form.cleaned_data["version"] or 0,
            data=form.to_data(),
        ),
    )
    if isinstance(outcome, Saved):
        messages.success(request, _("Objective saved."))
        return redirect_after_post(request, objective_url(request, objective))
    context = {"form": form, "cycle": objective.cycle, "objective": objective}
    return _objective_form_response(
        request, {**context, "conflict": outcome.conflict}, outcome.status
    )


@login_required
@require_POST
def objective_delete(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    objective = lookups.get_objective(request.membership, objective_id)
    outcome = attempt(
        request, lambda: delete_objective(actor=request.membership, objective=objective)
    )
    if not isinstance(outcome, Saved):
        return redirect_after_post(request, objective_url(request, objective))
    messages.success(request, _("Objective deleted."))
    return redirect_after_post(request, reverse("okrs:my_okrs", args=[request.org.slug]))


@login_required
@require_POST
def objective_carry_over(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    objective = lookups.get_objective(request.membership, objective_id)
    to_cycle = lookups.get_cycle(request.membership, request.POST.get("cycle", ""))
    outcome = attempt(
        request,
        lambda: carry_over_objective(
            actor=request.membership, objective=objective, to_cycle=to_cycle
        ),
    )
    if not isinstance(outcome, Saved):
        return redirect_after_post(request, objective_url(request, objective))
    messages.success(request, _("Carried into %(cycle)s as a draft.") % {"cycle": to_cycle.name})
    return redirect_after_post(request, objective_url(request, outcome.value))
