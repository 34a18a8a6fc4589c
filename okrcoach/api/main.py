"""The one NinjaAPI under /api/v1: token auth, error mapping, one router per domain."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from okrcoach.academy.api import router as academy_router
from okrcoach.okrs.api import router as okrs_router

from .auth import TokenAuth
from .coach import router as coach_router
from .people import router as people_router

api = NinjaAPI(
    title="okrcoach API",
    version="1",
    description=(
        "Personal API tokens: create one on your profile page and send it as "
        "`Authorization: Bearer okr_…`. Every list is paginated with `page` and `page_size`. "
        "Errors are JSON: `detail`, and `field` or `errors` for invalid input."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("/", people_router)
api.add_router("/", coach_router)
api.add_router("/", academy_router)
api.add_router("/okrs", okrs_router)


def _json(request: HttpRequest, status: int, detail: str, **extra: object) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        first = next(iter(errors))
        return _json(request, 422, errors[first][0], field=first, errors=errors)
    return _json(request, 422, " ".join(exc.messages))


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        errors.setdefault(".".join(loc) or "body", []).append(str(err.get("msg", "Invalid value.")))
    first = next(iter(errors), "body")
    return _json(request, 422, errors.get(first, ["Invalid input."])[0], field=first, errors=errors)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _json(request, 404, "Not found.")


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _json(request, 403, str(exc) or "Your role does not allow this.")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _json(request, 401, "Send a valid personal API token: Authorization: Bearer okr_…")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _json(request, exc.status_code, str(exc))
