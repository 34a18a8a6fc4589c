"""Every error the API answers is JSON shaped as `ErrorOut`: domain exceptions are mapped to
HTTP once, here. 401 no or bad token, 403 your role does not allow it, 404 missing or another
organisation's, 409 conflict with the stored state, 412 `If-Match` no longer matches, 422
invalid input with the field named."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

UNAUTHENTICATED = "Send a valid personal API token: Authorization: Bearer okr_…"


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, detail: str, **extra: object) -> HttpResponse:
        return api.create_response(request, {"detail": detail, **extra}, status=status)

    @api.exception_handler(ValidationError)
    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            first = next(iter(errors))
            return respond(request, 422, errors[first][0], field=first, errors=errors)
        return respond(request, 422, " ".join(exc.messages))

    @api.exception_handler(NinjaValidationError)
    def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        if exc.errors and all(e.get("loc", ("",))[0] == "path" for e in exc.errors):
            # A malformed id in the path names no object: 404, as the pages answer.
            return respond(request, 404, "Not found.")
        errors: dict[str, list[str]] = {}
        for err in exc.errors:
            loc = [
                str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")
            ]
            message = str(err.get("msg", "Invalid value."))
            if err.get("type") == "extra_forbidden":
                message = "Unknown field: this endpoint does not accept it."
            errors.setdefault(".".join(loc) or "body", []).append(message)
        first = next(iter(errors), "body")
        return respond(
            request, 422, errors.get(first, ["Invalid input."])[0], field=first, errors=errors
        )

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, "Not found.")

    @api.exception_handler(PermissionDenied)
    def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, str(exc) or "Your role does not allow this.")

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, UNAUTHENTICATED)

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, str(exc))
