"""Where an OKR view sends the browser after a POST: an objective's page, or a safe ?next=."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from okrcoach.core.http import OrgRequest

from ..models import Objective


def next_url(request: OrgRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def objective_url(request: OrgRequest, objective: Objective) -> str:
    return reverse("okrs:objective_detail", args=[request.org.slug, objective.public_id])
