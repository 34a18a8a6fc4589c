"""Crawl: each demo role signs in and follows every link the product renders for them.

Starting from the organisation's home page, a breadth-first crawl follows same-origin GET links
(``a[href]``) under /o/kestrel/ (and the API docs), visiting at most a few URLs per route
pattern so that every kind of page is seen once before any is seen again. Every page must answer
below 500 and never 404 (the product rendered the link); a 403 must explain itself. axe-core and
the console are checked on each page. Failures are collected and reported together, per role."""

from __future__ import annotations

import re
import time
from collections import Counter, deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from e2e.conftest import PHONE, PageChecks
from okrcoach.academy.loader import load_courses
from okrcoach.demo.academy import seed_academy
from okrcoach.demo.okrs import seed_okrs
from okrcoach.demo.people import DEMO_PASSWORD, seed_people

ROLES = {
    "admin": "nora.quinn@kestrel.example",
    "manager": "maya.okafor@kestrel.example",
    "member": "jordan.ellis@kestrel.example",
    "executive": "helena.marsh@kestrel.example",
}
SCOPES = ("/o/kestrel/", "/api/v1/docs", "/accounts/password/change/")
# Swagger UI (the API docs, a third-party developer tool rendered by django-ninja's bundled
# script) has its own contrast and nested-control issues once it has rendered; the page is still
# checked for its status and for console errors, and its own shell for a language (unit test).
AXE_EXEMPT = ("/api/v1/docs",)
START = "/o/kestrel/"
MAX_PAGES = 120
PER_PATTERN = 3
MAX_PAGE_NUMBER = 2
SKIP = re.compile(r"(\.csv|\.xlsx)$|/export/|/logout/", re.IGNORECASE)


def normalise(href: str, origin: str) -> str | None:
    """The canonical form of a link worth visiting, or None to skip it."""
    parts = urlsplit(href)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    path = parts.path or "/"
    if not path.startswith(SCOPES) or SKIP.search(path):
        return None
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=False))
    for key, value in query:
        if key == "page" and (not value.isdigit() or int(value) > MAX_PAGE_NUMBER):
            return None
        if key in {"format", "download"}:
            return None
    return urlunsplit(("", "", path, urlencode(query), ""))


def pattern_key(url: str) -> str:
    """The route a URL resolves to plus its query's parameter names: one kind of page."""
    parts = urlsplit(url)
    try:
        route = resolve(parts.path).route
    except Resolver404:
        route = f"UNRESOLVED {parts.path}"
    names = sorted({k for k, _ in parse_qsl(parts.query)})
    return f"{route}?{','.join(names)}" if names else route


class Frontier:
    """URLs waiting to be visited, grouped by pattern; the least-visited pattern goes next."""

    def __init__(self) -> None:
        self.pending: dict[str, deque[tuple[str, str]]] = {}
        self.seen: set[str] = set()
        self.visits: Counter[str] = Counter()

    def add(self, url: str, found_on: str) -> None:
        if url in self.seen:
            return
        self.seen.add(url)
        key = pattern_key(url)
        if self.visits[key] + len(self.pending.get(key, ())) >= PER_PATTERN:
            return
        self.pending.setdefault(key, deque()).append((url, found_on))

    def pop(self) -> tuple[str, str, str] | None:
        ready = [(self.visits[k], i, k) for i, (k, q) in enumerate(self.pending.items()) if q]
        if not ready:
            return None
        _, _, key = min(ready)
        url, found_on = self.pending[key].popleft()
        self.visits[key] += 1
        return url, found_on, key


class _Links(HTMLParser):
    """a[href] in the HTML the server sent, including no-JS fallbacks htmx replaces on load."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href") and "download" not in found:
            self.hrefs.append(str(found["href"]))


def links_on(page: Any, response: Any) -> list[str]:
    """Every link on the page: the rendered DOM's and the server's original HTML's."""
    hrefs: list[str] = page.eval_on_selector_all(
        "a[href]:not([download])", "els => els.map(e => e.href)"
    )
    parser = _Links()
    parser.feed(response.text())
    return hrefs + [urljoin(page.url, h) for h in parser.hrefs]


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def explains_itself(page: Any) -> bool:
    """A 403 page must say what happened and why, not just show a code."""
    heading = page.locator("h1").first
    if not heading.count() or not heading.inner_text().strip():
        return False
    return any(len(p.strip()) > 40 for p in page.locator("main p").all_inner_texts())


def crawl(
    page: Any, checks: PageChecks, base: str, phone: bool = False
) -> tuple[list[str], list[str], Counter[str]]:
    frontier = Frontier()
    frontier.add(START, "(start)")
    failures: list[str] = []
    forbidden: list[str] = []
    visited = 0
    while visited < MAX_PAGES and (item := frontier.pop()) is not None:
        url, found_on, key = item
        visited += 1
        checks.errors.clear()
        where = f"{url}  (linked from {found_on})"
        response = page.goto(f"{base}{url}", wait_until="load")
        status = response.status if response is not None else 0
        if key.startswith("UNRESOLVED"):
            failures.append(f"no route matches {where}")
        if status >= 500 or status == 0:
            failures.append(f"HTTP {status} on {where}")
            continue
        if status == 403:
            if explains_itself(page):
                forbidden.append(url)
            else:
                failures.append(f"HTTP 403 without an explanation on {where}")
            continue
        if status >= 400:
            failures.append(f"HTTP {status} on {where}")
            continue
        landed = urlsplit(page.url).path
        if landed.startswith("/accounts/login"):
            failures.append(f"sent to sign in from {where}")
            continue
        # Let requests htmx fires on load (coverage, coach reviews) finish before checking.
        try:
            page.wait_for_function("() => !document.querySelector('.htmx-request')", timeout=20000)
        except PlaywrightTimeoutError:
            failures.append(f"{where}: an htmx request started on load never finished")
            continue
        if urlsplit(url).path.startswith(AXE_EXEMPT):
            if checks.errors:
                failures.append(f"{where}: console errors {checks.errors}")
        else:
            try:
                checks.accessible(url)
                if phone:
                    checks.fits(url)
            except AssertionError as exc:
                failures.append(f"{where}: {str(exc).splitlines()[0][:1500]}")
        checks.errors.clear()
        for href in links_on(page, response):
            link = normalise(href, base)
            if link is not None:
                frontier.add(link, url)
    return failures, forbidden, frontier.visits


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_a_role_can_reach_works_and_is_accessible(
    role: str, live_server: Any, page: Any, checks: PageChecks
) -> None:
    seed_people()
    load_courses()
    seed_okrs()
    seed_academy()
    started = time.monotonic()
    sign_in(page, live_server.url, ROLES[role])
    failures, forbidden, visits = crawl(page, checks, live_server.url)
    took = time.monotonic() - started
    print(
        f"\n[{role}] {sum(visits.values())} pages, {len(visits)} route patterns, "
        f"{len(forbidden)} explained 403s, {took:.1f}s"
    )
    for url in forbidden:
        print(f"  403 (explained): {url}")
    for key, count in sorted(visits.items()):
        print(f"  {count} x {key}")
    assert len(visits) > 10, f"{role} reached only {sorted(visits)}"
    assert not failures, f"{len(failures)} problem(s) for the {role}:\n" + "\n".join(
        f"  - {f}" for f in failures
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ["manager", "executive"])
def test_every_page_fits_a_phone(
    role: str, live_server: Any, page: Any, checks: PageChecks
) -> None:
    """The same crawl at 390 px: every page also fits the window (no sideways scrolling)."""
    seed_people()
    load_courses()
    seed_okrs()
    seed_academy()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(ROLES[role])
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Menu")).to_be_visible()
    failures, _forbidden, visits = crawl(page, checks, live_server.url, phone=True)
    assert len(visits) > 10, f"{role} reached only {sorted(visits)}"
    assert not failures, f"{len(failures)} problem(s) at 390 px for the {role}:\n" + "\n".join(
        f"  - {f}" for f in failures
    )
