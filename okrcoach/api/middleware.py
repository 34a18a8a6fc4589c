from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse


class ApiJsonErrorsMiddleware:
    """Under /api/, every error is JSON: unknown paths and wrong methods are answered by Django
    before the API sees them, with HTML bodies an API client cannot use."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        detail = {
            404: "No such API endpoint. See /api/v1/docs.",
            405: f"Method {request.method} is not allowed here.",
        }.get(response.status_code) or HTTPStatus(response.status_code).phrase
        replacement = JsonResponse({"detail": detail}, status=response.status_code)
        if "Allow" in response:
            replacement["Allow"] = response["Allow"]
        return replacement
