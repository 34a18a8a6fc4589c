"""The pages people read: My OKRs, an objective, the company tree and its coverage, a team's
OKRs, late check-ins."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.vary import vary_on_headers

from okrcoach.core.http import OrgRequest, render_page_or_fragment, wants_fragment

from ..selectors import accountability, lookups, pages, tree
from ..selectors import objective as objective_selectors
from .redirects import objective_url


@login_required
def my_okrs(request: OrgRequest) -> HttpResponse:
    page = pages.my_okrs_page(request.membership, request.GET.get("cycle"))
    return render(request, "okrs/my_okrs.html", {"page": page})


@login_required
def objective_detail(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    found = objective_selectors.get_objective_for_page(request.membership, objective_id)
    page = objective_selectors.objective_page(
        request.membership,
        found.objective,
        all_check_ins=request.GET.get("history") == "all",
        reach=found.reach,
        owner_count=found.owner_count,
    )
    return render(request, "okrs/objective_detail.html", {"page": page})


@login_required
def company(request: OrgRequest) -> HttpResponse:
    page = tree.company_page(request.membership, request.GET.get("cycle"))
    return render(request, "okrs/company.html", {"page": page})


@login_required
@vary_on_headers("HX-Request")
def company_coverage(request: OrgRequest) -> HttpResponse:
    coverage = tree.company_coverage(request.membership, request.GET.get("cycle"))
    return render_page_or_fragment(
        request, "okrs/coverage.html", "okrs/partials/coverage.html", {"coverage": coverage}
    )


@login_required
@vary_on_headers("HX-Request")
def company_children(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    objective = lookups.get_objective(request.membership, objective_id)
    if not wants_fragment(request):
        return redirect(objective_url(request, objective))
    nodes = tree.tree_children(request.membership, objective)
    return render(
        request, "okrs/partials/tree_children.html", {"nodes": nodes, "parent": objective}
    )


@login_required
def team_okrs(request: OrgRequest, team_id: UUID) -> HttpResponse:
    team = lookups.get_team(request.membership, team_id)
    page = pages.team_okrs_page(request.membership, team, request.GET.get("cycle"))
    return render(request, "okrs/team_okrs.html", {"page": page})


@login_required
def late_check_ins(request: OrgRequest) -> HttpResponse:
    return render(
        request,
        "okrs/late_check_ins.html",
        {"key_results": accountability.late_check_ins(request.membership)},
    )
