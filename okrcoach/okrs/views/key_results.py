"""Key results and their initiatives: create and edit a key result, add an initiative, change
its status."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from okrcoach.core.forms import Saved, attempt, posted, submit
from okrcoach.core.http import (
    OrgRequest,
    redirect_after_post,
    render_page_or_fragment,
    wants_fragment,
)

from ..forms import InitiativeForm, InitiativeStatusForm, KeyResultForm
from ..permissions import can_check_in, require_edit_objective
from ..selectors import lookups
from ..services.key_results import (
    create_initiative,
    create_key_result,
    set_initiative_status,
    update_key_result,
)
from .redirects import objective_url


def _kr_form_response(
    request: OrgRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render_page_or_fragment(
        request,
        "okrs/key_result_form.html",
        "okrs/partials/key_result_form.html",
        context,
        status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def key_result_create(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    actor = request.membership
    objective = lookups.get_objective(actor, objective_id)
    require_edit_objective(actor, objective)
    form = KeyResultForm(posted(request), actor=actor, initial={"owner": objective.owner})
    outcome = submit(
        form, lambda: create_key_result(actor=actor, objective=objective, data=form.to_data())
    )
    if isinstance(outcome, Saved):
        messages.success(request, _("Key result added."))
        return redirect_after_post(request, objective_url(request, objective))
    return _kr_form_response(request, {"form": form, "objective": objective, "key_result": None})


@login_required
@require_http_methods(["GET", "POST"])
def key_result_edit(request: OrgRequest, key_result_id: UUID) -> HttpResponse:
    actor = request.membership
    kr = lookups.get_key_result(actor, key_result_id)
    require_edit_objective(actor, kr.objective)
    form = KeyResultForm(posted(request), actor=actor, initial=KeyResultForm.initial_from(kr))
    outcome = submit(
        form,
        lambda: update_key_result(
            actor=actor,
            key_result=kr,
            version=form.cleaned_data["version"] or 0,
            data=form.to_data(),
        ),
    )
    if isinstance(outcome, Saved):
        messages.success(request, _("Key result saved."))
        return redirect_after_post(request, objective_url(request, kr.objective))
    context = {"form": form, "objective": kr.objective, "key_result": kr}
    return _kr_form_response(request, {**context, "conflict": outcome.conflict}, outcome.status)


@login_required
@require_POST
def initiative_create(request: OrgRequest, key_result_id: UUID) -> HttpResponse:
    kr = lookups.get_key_result(request.membership, key_result_id)
    form = InitiativeForm(request.POST)
    if form.is_valid():
        outcome = attempt(
            request,
            lambda: create_initiative(
                actor=request.membership, key_result=kr, title=form.cleaned_data["title"]
            ),
        )
        if isinstance(outcome, Saved):
            messages.success(request, _("Initiative added."))
    else:
        messages.error(request, _("Give the initiative a title."))
    return redirect(objective_url(request, kr.objective))


@login_required
@vary_on_headers("HX-Request")
@require_POST
def initiative_status(request: OrgRequest, initiative_id: UUID) -> HttpResponse:
    actor = request.membership
    initiative = lookups.get_initiative(actor, initiative_id)
    form = InitiativeStatusForm(request.POST)
    saved = isinstance(
        submit(
            form,
            lambda: set_initiative_status(
                actor=actor, initiative=initiative, status=form.cleaned_data["status"]
            ),
        ),
        Saved,
    )
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
    return redirect(objective_url(request, initiative.key_result.objective))
