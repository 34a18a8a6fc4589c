"""Objective cards (My OKRs, a team's OKRs) rendered once and kept in the cache, keyed on
everything a card shows.

Rendering a card and its key-result rows through the templates was most of those pages' work
(perf/LOAD_RESULTS.md). A card's key is a digest of every value its markup reads: each stored
column of the objective, its cycle and each key result, the owners' names, the team's name,
what this reader may do (edit the objective, check in on each key result), the organisation,
the language, today's date (due and pace badges), the templates' own source and the version of
the code that makes the markup (core/code_version.py). So nothing is ever invalidated: a
check-in, an edit, a rename, a change of rights or a deploy makes a different key, and the next
read renders that one card afresh while every other card of the page stays cached.
A card holds nothing of a reader's beyond what its key names, and the key names the
organisation, so a fragment cannot cross organisations or readers with different rights (which
cards a reader sees at all is decided before, by the selector).

The parts that differ per request (the CSRF token and the page the check-in form returns to)
are rendered as placeholders and put in on the way out."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db.models import Model
from django.template import Context
from django.template.base import NodeList
from django.template.loader import get_template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from okrcoach.core import code_version

from .selectors.pages import KRDetail, ObjectiveCard, ObjectivePage
from .selectors.tree import CompanyPage

CARD_TEMPLATE = "okrs/partials/objective_card.html"
# Every template a card's markup comes from: a change to any of them changes every key.
CARD_TEMPLATES = (
    CARD_TEMPLATE,
    "okrs/partials/key_result_row.html",
    "okrs/partials/progress_bar.html",
    "okrs/partials/pace_status.html",
    "okrs/partials/status_badges.html",
    "okrs/partials/coach_badge.html",
)
# A key result's block on the objective page (objective_detail.html), and what it includes.
KR_DETAIL_TEMPLATES = (
    "okrs/objective_detail.html",
    "okrs/partials/progress_bar.html",
    "okrs/partials/pace_status.html",
    "okrs/partials/status_badges.html",
    "okrs/partials/coach_badge.html",
    "okrs/partials/kr_chart.html",
    "okrs/partials/initiative_item.html",
)
# An objective page's content (its block in objective_detail.html) and what it includes besides
# the key results' blocks.
OBJECTIVE_PAGE_TEMPLATES = (*KR_DETAIL_TEMPLATES, "okrs/partials/coach_set.html")
# The company tree's sections (company.html) and what they include.
TREE_TEMPLATES = (
    "okrs/company.html",
    "okrs/partials/tree_node.html",
    "okrs/partials/progress_bar.html",
)
# Unused entries expire: a key that changed is never read again. The "fragments" cache
# (settings/base.py) is kept apart from the default one.
CARD_TIMEOUT = 60 * 60
_CSRF = "csrf-5f0b0c1e-placeholder"
_NEXT = "/next-5f0b0c1e-placeholder"
_CSRF_INPUT = f'<input type="hidden" name="csrfmiddlewaretoken" value="{_CSRF}">'


def _cache() -> BaseCache:
    # Settings that name only a default cache (an override in a test, a deployment's own
    # CACHES) still work: fragments then share it.
    return caches["fragments" if "fragments" in settings.CACHES else "default"]


class _PlaceholderRequest:
    """What the card's templates read of the request, as a placeholder."""

    def get_full_path(self) -> str:
        return _NEXT


@lru_cache(maxsize=16)
def _templates_digest(names: tuple[str, ...]) -> str:
    digest = hashlib.blake2b(digest_size=8)
    for name in names:
        digest.update(get_template(name).template.source.encode())  # type: ignore[attr-defined]
    return digest.hexdigest()


def _reading(org_id: int, templates: tuple[str, ...]) -> list[Any]:
    """What every fragment depends on besides its rows: the code that makes the markup (the
    charts, the coach's set review, template tags: core/code_version.py), the templates, the
    organisation, the language, the reader's time zone and today's date in it."""
    return [
        code_version.code_version(),
        _templates_digest(templates),
        org_id,
        get_language(),
        timezone.get_current_timezone_name(),
        timezone.localdate(),
    ]


def _digest(parts: list[Any]) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


def _columns(obj: Model | None) -> tuple[Any, ...]:
    if obj is None:
        return ()
    return tuple(getattr(obj, f.attname) for f in obj._meta.concrete_fields)


@lru_cache(maxsize=32)
def _column_getter(model: type[Model]) -> Callable[[Model], tuple[Any, ...]]:
    names = [f.attname for f in model._meta.concrete_fields]
    if len(names) == 1:
        return lambda obj: (getattr(obj, names[0]),)
    return attrgetter(*names)


def _card_columns(obj: Model) -> tuple[Any, ...]:
    """`_columns` of a row, through one getter per model (a page's cards read hundreds)."""
    return _column_getter(type(obj))(obj)


def card_key(card: ObjectiveCard, org_id: int, reading: list[Any] | None = None) -> str:
    """The cache key of a card as this reader sees it today, in the active language.
    `reading`: `_reading(org_id, CARD_TEMPLATES)`, when the caller has it for many cards."""
    o = card.objective
    parts: list[Any] = [
        *(reading if reading is not None else _reading(org_id, CARD_TEMPLATES)),
        card.can_edit,
        _card_columns(o),
        _card_columns(o.cycle),
        o.owner.user.full_name,
        o.team.name if o.team is not None else None,
    ]
    for row in card.rows:
        kr = row.kr
        parts.append((_card_columns(kr), kr.owner.user.full_name, row.can_check_in, row.today))
    return f"okrs:card:{org_id}:{o.pk}:{_digest(parts)}"


def kr_detail_key(detail: KRDetail, page: ObjectivePage, org_id: int, reader_id: int) -> str:
    """The cache key of a key result's block on the objective page as this reader sees it."""
    row = detail.row
    kr = row.kr
    parts: list[Any] = [
        *_reading(org_id, KR_DETAIL_TEMPLATES),
        _columns(kr),
        kr.owner.user.full_name,
        _columns(row.objective.cycle),
        row.can_check_in,
        page.can_edit,
        detail.more_check_ins,
        # The chart: the key result and cycle above, today, and every point it plots.
        detail.chart_history,
        # The newest check-in offers "Correct" to its author only.
        bool(detail.check_ins) and detail.check_ins[0].author_id == reader_id,
        # author_name: annotated by the selector (selectors/objective.py).
        [(_columns(c), c.author_name) for c in detail.check_ins],  # type: ignore[attr-defined]
        [
            (_columns(i), i.owner.user.full_name if i.owner is not None else None)
            for i in detail.initiatives
        ],
    ]
    return f"okrs:kr-detail:{org_id}:{kr.pk}:{_digest(parts)}"


def objective_page_key(page: ObjectivePage, org: Any, reader_id: int) -> str:
    """The cache key of an objective page's content as this reader sees it: every value the
    block reads, the key results' blocks through their own keys. The coach's set review and the
    pace are named by their results, so a change of the coach's rules changes the key too."""
    o = page.objective
    parent = o.parent  # None when the reader may not see it (the selector's hiding)
    retrospective = page.retrospective
    parts: list[Any] = [
        *_reading(org.pk, OBJECTIVE_PAGE_TEMPLATES),
        org.slug,
        _columns(o),
        _columns(o.cycle),
        o.owner.user.full_name,
        _columns(o.team),
        (_columns(parent), parent.owner.user.full_name) if parent is not None else None,
        _columns(o.carried_from),
        page.can_edit,
        page.pace,
        page.coach_set,
        [kr_detail_key(d, page, org.pk, reader_id) for d in page.key_results],
        page.children,
        page.links,
        [(m.pk, m.user.full_name) for m in page.contributors],
        _columns(retrospective),
        [_columns(c) for c in page.later_cycles],
    ]
    return f"okrs:objective-page:{org.pk}:{o.pk}:{_digest(parts)}"


def tree_key(page: CompanyPage, org: Any) -> str:
    """The cache key of the company tree's top (its two sections) as this reader sees it: each
    node's stored columns and what the node shows besides (owner, team, the visible children's
    count and the average confidence, both counted for this reader by the selector)."""
    parts: list[Any] = [
        *_reading(org.pk, TREE_TEMPLATES),
        org.slug,
        [
            (
                _card_columns(node),
                node.owner.user.full_name,
                node.team.name if node.team is not None else None,
                node.child_count,  # type: ignore[attr-defined]
                node.avg_confidence,  # type: ignore[attr-defined]
            )
            for nodes in (page.roots, page.orphans)
            for node in nodes
        ],
        len(page.roots),
    ]
    return f"okrs:tree:{org.pk}:{_digest(parts)}"


def render_cached(key: str, nodelist: NodeList, context: Context) -> SafeString:
    """A template block's markup for this request, from the cache under `key` (which must
    name everything the block reads) or rendered with placeholders and cached."""
    cache = _cache()
    html: str | None = cache.get(key)
    if html is None:
        with context.push(csrf_token=_CSRF, request=_PlaceholderRequest()):
            html = str(nodelist.render(context))
        cache.set(key, html, CARD_TIMEOUT)
    return next(iter(_personalise([html], context)))


def _render(card: ObjectiveCard, org: Any) -> str:
    context = {"card": card, "org": org, "csrf_token": _CSRF, "request": _PlaceholderRequest()}
    return str(get_template(CARD_TEMPLATE).render(context))


def render_cards(cards: Sequence[ObjectiveCard], context: Context) -> list[SafeString]:
    """The cards' markup for this request: cached cards as they are, the others rendered and
    cached; one cache round trip to read and at most one to write."""
    org = context["org"]
    reading = _reading(org.pk, CARD_TEMPLATES)
    keys = [card_key(card, org.pk, reading) for card in cards]
    cache = _cache()
    found: dict[str, str] = cache.get_many(keys)
    missing = {k: _render(card, org) for k, card in zip(keys, cards, strict=True) if k not in found}
    if missing:
        cache.set_many(missing, CARD_TIMEOUT)
        found.update(missing)
    return list(_personalise((found[k] for k in keys), context))


def _personalise(fragments: Iterable[str], context: Context) -> Iterable[SafeString]:
    csrf: str | None = None
    request = context.get("request")
    next_path = escape(request.get_full_path()) if request is not None else ""
    for html in fragments:
        if _CSRF in html:
            if csrf is None:
                csrf = escape(str(context.get("csrf_token", "")))
            if csrf in ("", "NOTPROVIDED"):  # as {% csrf_token %} renders without a token
                html = html.replace(_CSRF_INPUT, "")
            html = html.replace(_CSRF, csrf)
        yield mark_safe(html.replace(_NEXT, next_path))  # noqa: S308 - our own rendered markup
