"""Alignment across people and teams: an objective's contributors and the key results of other
teams it counts (contribution links)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from okrcoach.core.forms import Saved, posted, submit
from okrcoach.core.http import OrgRequest

from ..forms import ContributionLinkForm, ContributorsForm
from ..permissions import require_edit_objective
from ..selectors import lookups
from ..services.alignment import link_contribution, set_contributors, unlink_contribution
from .redirects import objective_url


@login_required
@require_http_methods(["GET", "POST"])
def objective_contributors(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    actor = request.membership
    objective = lookups.get_objective(actor, objective_id)
    require_edit_objective(actor, objective)
    form = ContributorsForm(
        posted(request), actor=actor, initial={"contributors": objective.contributors.all()}
    )
    outcome = submit(
        form,
        lambda: set_contributors(
            actor=actor, objective=objective, contributors=form.cleaned_data["contributors"]
        ),
    )
    if isinstance(outcome, Saved):
        messages.success(request, _("Contributors saved."))
        return redirect(objective_url(request, objective))
    return render(request, "okrs/contributors.html", {"form": form, "objective": objective})


@login_required
@require_http_methods(["GET", "POST"])
def objective_links(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    actor = request.membership
    objective = lookups.get_objective(actor, objective_id)
    require_edit_objective(actor, objective)
    form = ContributionLinkForm(posted(request), actor=actor, objective=objective)
    outcome = submit(
        form,
        lambda: link_contribution(
            actor=actor,
            objective=objective,
            key_result=form.cleaned_data["key_result"],
            weight=form.cleaned_data["weight"],
        ),
    )
    if isinstance(outcome, Saved):
        messages.success(
            request,
            _("“%(kr)s” now counts towards this objective.")
            % {"kr": outcome.value.key_result.title},
        )
        return redirect("okrs:objective_links", request.org.slug, objective.public_id)
    links = lookups.contribution_links(actor, objective)
    return render(
        request,
        "okrs/contribution_links.html",
        {"form": form, "objective": objective, "links": links},
    )


@login_required
@require_POST
def link_delete(request: OrgRequest, link_id: UUID) -> HttpResponse:
    actor = request.membership
    link = lookups.get_contribution_link(actor, link_id)
    unlink_contribution(actor=actor, link=link)
    messages.success(request, _("Link removed."))
    return redirect("okrs:objective_links", request.org.slug, link.objective.public_id)
