from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse

from .models import Membership


class OrganisationMiddleware:
    """Resolve /o/<org_slug>/… once per request: the signed-in user's active membership of that
    organisation, or 404 for anyone else (the organisation's existence is not revealed)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: list[Any],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        slug = view_kwargs.pop("org_slug", None)
        if slug is None:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = (
            Membership.all_orgs.select_related("organisation", "user", "team")
            .annotate(active_report_count=Count("reports", filter=Q(reports__is_active=True)))
            .filter(organisation__slug=slug, user=request.user, is_active=True)
            .first()
        )
        if membership is None:
            raise Http404("No such organisation.")
        request.org = membership.organisation  # type: ignore[attr-defined]
        request.membership = membership  # type: ignore[attr-defined]
        if request.session.get("org_slug") != slug:
            request.session["org_slug"] = slug
        return None
