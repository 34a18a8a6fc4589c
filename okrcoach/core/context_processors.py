from django.http import HttpRequest


def csp_nonce_alias(request: HttpRequest) -> dict[str, object]:
    # django-htmx's {% htmx_script %} reads `csp_nonce`; django-csp provides request.csp_nonce.
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
