from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from okrcoach.accounts.session_user import adopt_session_user, unresolved_session_user_id

from .models import Membership
from .selectors import member_for_request


class OrganisationMiddleware:
    """Resolve /o/<org_slug>/… once per request: the signed-in user's active membership of that
    organisation, or 404 for anyone else (the organisation's existence is not revealed).

    One query (`selectors.member_for_request`): the membership's row brings the user along,
    and when the session's check passes for that user (accounts/session_user.py) it becomes
    `request.user` without a lookup of its own."""

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
        session_user_id = unresolved_session_user_id(request)
        if session_user_id is not None:
            membership = member_for_request(slug, session_user_id)
            if membership is not None and adopt_session_user(request, membership.user):
                return self._enter(request, membership, slug)
        # Django's own lookup: no session user, a session that fails its check (signed out
        # now), or no membership here (the user is the session's: 404 below).
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if session_user_id is None:
            membership = member_for_request(slug, request.user.pk)
        if membership is None:
            raise Http404("No such organisation.")
        return self._enter(request, membership, slug)

    @staticmethod
    def _enter(request: HttpRequest, membership: Membership, slug: str) -> None:
        request.org = membership.organisation  # type: ignore[attr-defined]
        request.membership = membership  # type: ignore[attr-defined]
        if request.session.get("org_slug") != slug:
            request.session["org_slug"] = slug
        return None
