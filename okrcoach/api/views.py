"""The page where a member manages their personal API tokens in one organisation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from okrcoach.core.forms import Saved, submit
from okrcoach.core.http import OrgRequest, render_page_or_fragment, wants_fragment
from okrcoach.orgs.access import get_for_member_or_404

from . import selectors, services
from .forms import ApiTokenForm
from .models import ApiToken


def _render(request: OrgRequest, form: ApiTokenForm, new_secret: str | None = None) -> HttpResponse:
    context = {
        "token_form": form,
        "tokens": selectors.tokens_of(request.membership),
        "new_secret": new_secret,
    }
    return render_page_or_fragment(
        request, "api/tokens.html", "api/partials/api_tokens.html", context
    )


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def tokens(request: OrgRequest) -> HttpResponse:
    if request.method != "POST":
        return _render(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    outcome = submit(
        form,
        lambda: services.create_api_token(
            membership=request.membership, name=form.cleaned_data["name"]
        ),
    )
    if isinstance(outcome, Saved):
        _token, secret = outcome.value
        # The secret is shown on this response only; it is never stored.
        return _render(request, ApiTokenForm(), new_secret=secret)
    return _render(request, form)


@login_required
@vary_on_headers("HX-Request")
@require_POST
def revoke_token(request: OrgRequest, token_id: int) -> HttpResponse:
    own = ApiToken.objects.filter(user=request.user)
    token = get_for_member_or_404(own, request.membership, pk=token_id)
    services.revoke_api_token(membership=request.membership, token=token)
    if wants_fragment(request):
        return _render(request, ApiTokenForm())
    messages.success(request, _("The token was revoked."))
    return redirect("api_tokens:tokens", org_slug=request.org.slug)
