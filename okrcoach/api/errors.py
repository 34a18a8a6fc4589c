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

    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            first = next(iter(errors))
            return respond(request, 422, errors[first][0], field=first, errors=errors)
        return respond(request, 422, " ".join(exc.messages))

    def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
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

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, "Not found.")

    def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, str(exc) or "Your role does not allow this.")

    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, UNAUTHENTICATED)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, str(exc))

    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(NinjaValidationError, on_schema_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_forbidden)
    api.add_exception_handler(AuthenticationError, on_unauthenticated)
    api.add_exception_handler(HttpError, on_http_error)
