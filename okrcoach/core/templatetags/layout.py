"""The site header of every page (`{% site_header %}` in base.html), rendered once per process
for each combination of what it shows and then reused.

Rendering it cost about as much as the rest of the request's fixed work (a dozen `{% url %}`,
fifteen `{% translate %}`): on a page that is pure overhead, since it depends on few values. The
tag hands the template only plain values (never the request, the user or a model), so the
rendered text is a function of the key by construction: organisation (id, slug, name), the
view's name and app, the member's two role flags, the switcher's organisations, language and
script prefix. What differs per person or request is put in afterwards: the user's name and
initials (escaped) and the CSRF token. With DEBUG on it renders every time (templates change)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from types import SimpleNamespace
from typing import Any

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

# Stand-ins put into the cached text, replaced per request; none can occur in real output (the
# values that could hold them are escaped, and escaping leaves no "\x00").
_NAME, _INITIALS, _CSRF = "\x00name\x00", "\x00initials\x00", "\x00csrf\x00"
MAX_ENTRIES = 2000
_rendered: OrderedDict[tuple[Any, ...], str] = OrderedDict()
_lock = threading.Lock()  # gunicorn may run threads (WEB_THREADS)


def _key(context: template.Context) -> tuple[Any, ...]:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    org = context.get("org")
    membership = context.get("membership")
    switcher: tuple[tuple[int, str, str], ...] = ()
    memberships = context.get("user_memberships") or []
    if len(memberships) > 1:
        switcher = tuple(
            (m.organisation_id, m.organisation.slug, m.organisation.name) for m in memberships
        )
    return (
        get_language(),
        get_script_prefix(),
        (org.pk, org.slug, org.name) if org else None,
        getattr(match, "view_name", None),
        getattr(match, "app_name", None),
        (membership.sees_everything, membership.is_admin) if membership else None,
        switcher,
    )


def _render(key: tuple[Any, ...]) -> str:
    _language, _prefix, org, view_name, app_name, roles, switcher = key
    values = {
        "org": SimpleNamespace(pk=org[0], slug=org[1], name=org[2]) if org else None,
        "request": SimpleNamespace(
            resolver_match=SimpleNamespace(view_name=view_name, app_name=app_name)
        ),
        "membership": (
            SimpleNamespace(sees_everything=roles[0], is_admin=roles[1]) if roles else None
        ),
        "user_memberships": [
            SimpleNamespace(organisation_id=pk, organisation=SimpleNamespace(slug=slug, name=name))
            for pk, slug, name in switcher
        ],
        "user": SimpleNamespace(full_name=mark_safe(_NAME), initials=mark_safe(_INITIALS)),  # noqa: S308
        "csrf_token": _CSRF,
    }
    return str(get_template("includes/site_header.html").render(values))


@register.simple_tag(takes_context=True)
def site_header(context: template.Context) -> SafeString:
    key = _key(context)
    text = None if settings.DEBUG else _rendered.get(key)
    if text is None:
        text = _render(key)
        if not settings.DEBUG:
            with _lock:
                _rendered[key] = text
                while len(_rendered) > MAX_ENTRIES:
                    _rendered.popitem(last=False)
    user = context.get("user")
    return mark_safe(  # noqa: S308  # the template's output; the values put in are escaped
        text.replace(_NAME, escape(getattr(user, "full_name", "")))
        .replace(_INITIALS, escape(getattr(user, "initials", "")))
        .replace(_CSRF, escape(str(context.get("csrf_token", ""))))
    )
