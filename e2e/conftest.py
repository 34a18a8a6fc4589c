"""Browser journeys: pytest-django's live_server + Debian's Chromium driven by Playwright.

Every page a journey visits is checked with axe-core (from npm, injected as an init script so the
page's own CSP stays in force) and fails on serious or critical violations; any console error
(a CSP violation shows up there) or uncaught page error fails the journey too."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread
# with a running loop unless told otherwise. Test code only: never set this in settings.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO = Path(__file__).resolve().parents[1]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "e2e" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
# Phone width of the journeys that run twice (desktop, phone).
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}
# Reports every Content-Security-Policy violation as a console error, whenever it happens (a
# swap htmx makes long after the page loaded included), so the checks below see it.
CSP_REPORTER = (
    "document.addEventListener('securitypolicyviolation', e => console.error("
    "'CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +"
    " ' at ' + (e.sourceFile || '') + ':' + e.lineNumber));"
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "e2e" in Path(str(item.fspath)).parts:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Browser tests need Debian's Chromium at /usr/bin/chromium (apt-get install chromium)."
        )
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args() -> dict[str, Any]:
    return {"viewport": {"width": 1280, "height": 860}, "locale": "en-GB"}


class PageChecks:
    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on(
            "console",
            lambda msg: self.errors.append(f"console: {msg.text}") if msg.type == "error" else None,
        )
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on(
            "response",
            lambda r: (
                self.errors.append(f"HTTP {r.status}: {r.url}")
                if r.status >= 400 and r.request.resource_type != "document"
                else None
            ),
        )

    def accessible(self, label: str) -> None:
        """Run axe-core on the current page; fail on serious or critical violations."""
        result = self.page.evaluate(
            "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
            " return r.violations.filter(v => ['serious','critical'].includes(v.impact))"
            ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})); }"
        )
        assert not result, f"axe found serious/critical violations on {label}: {result}"
        assert not self.errors, f"console errors on {label}: {self.errors}"

    def after_swaps(self, label: str) -> None:
        """After clicks that swap parts of the page (htmx): let every request settle, then fail
        on any console error, CSP violation or page error raised since the last check."""
        self.page.wait_for_function(
            "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')",
            timeout=5000,
        )
        self.page.wait_for_timeout(150)  # htmx settles 20 ms after a swap
        assert not self.errors, f"console errors after swaps on {label}: {self.errors}"

    def fits(self, label: str) -> None:
        """Nothing pushes the page wider than the window (no sideways scrolling)."""
        width = self.page.evaluate("document.documentElement.scrollWidth")
        window = self.page.evaluate("window.innerWidth")
        assert width <= window, f"{label} is {width} px wide in a {window} px window"

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def checks(page: Any) -> Iterator[PageChecks]:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (scripts/test.sh does).")
    page.context.add_init_script(path=str(AXE))
    page.context.add_init_script(CSP_REPORTER)
    checker = PageChecks(page)
    yield checker
    assert not checker.errors, f"console errors: {checker.errors}"


def run_task_worker(page: Any) -> None:
    """Run the real task worker once over the queue, after the page's own requests have ended:
    on SQLite the live server and the worker share one in-memory database, and the worker's
    exclusive transaction fails ("database table is locked") while a request of the page (the
    inbox badge htmx loads on every page) is still reading."""
    from django.core.management import call_command

    page.wait_for_load_state("networkidle")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
