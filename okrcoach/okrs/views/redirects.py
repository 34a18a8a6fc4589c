"""Where a view sends the browser after a POST, and the editor's answer to a stale save."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from okrcoach.core.http import OrgRequest

from ..models import Objective
from ..services.versions import StaleEdit


def posted(request: OrgRequest) -> Any:
    """The POST data for a bound form, even when empty (an empty form must show its errors)."""
    return request.POST if request.method == "POST" else None


def next_url(request: OrgRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def objective_url(request: OrgRequest, objective: Objective) -> str:
    return reverse("okrs:objective_detail", args=[request.org.slug, objective.public_id])


def done(request: OrgRequest, url: str) -> HttpResponse:
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def conflict(
    request: OrgRequest, form: Any, exc: StaleEdit, context: dict[str, Any], respond: Any
) -> HttpResponse:
    """409: show what is stored now beside the editor's input, which is kept. The form carries
    the current version, so saving again deliberately overwrites."""
    data = form.data.copy()
    data["version"] = exc.current.version
    form.data = data
    form.add_error(
        None,
        _(
            "Someone else saved this while you were editing. Their version is "
            "shown below; save again to replace it with yours."
        ),
    )
    return respond(request, {**context, "form": form, "conflict": exc.current}, status=409)
