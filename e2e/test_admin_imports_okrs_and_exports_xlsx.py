"""Journey: the demo admin imports a cycle's OKRs from a CSV file and prepares its XLSX export.
While the import's request runs the form says so (the page gave no sign before, for a request
of seconds); the export job's page offers the download."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import PageChecks
from okrcoach.demo.okrs import seed_okrs
from okrcoach.demo.people import DEMO_PASSWORD, seed_people

ADMIN = "nora.quinn@kestrel.example"
ROWS = "objective,level,owner_email,key_result,kr_type,baseline,target\n" + "".join(
    f"Imported objective {o} lands well,personal,{ADMIN},Measure {k} of {o} rises,metric,0,9\n"
    for o in range(5)
    for k in range(2)
)


@pytest.mark.django_db(transaction=True)
def test_admin_sees_the_import_running_then_exports_the_cycle_as_xlsx(
    live_server: Any, page: Any, checks: PageChecks
) -> None:
    seed_people()
    seed_okrs()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(ADMIN)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/o/kestrel/okrs/import/")
    expect(page.get_by_role("heading", name="Import OKRs")).to_be_visible()
    busy = page.get_by_role("status").filter(has_text="Checking and importing")
    expect(busy).to_be_hidden()
    checks.accessible("import form")

    cycles = page.get_by_label("Import into cycle")
    cycles.select_option(label=cycles.locator("option", has_text="Planning").inner_text())
    page.locator("input[type=file]").set_input_files(
        {"name": "okrs.csv", "mimeType": "text/csv", "buffer": ROWS.encode()}
    )
    # A listener after the page's own holds the submission back, so the state the admin sees
    # while the request runs stays on screen to be checked; then the form goes for real.
    page.evaluate(
        "window.__hold = true; window.addEventListener('submit',"
        " e => { if (window.__hold) e.preventDefault(); })"
    )
    page.get_by_role("button", name="Check and import").click()
    expect(busy).to_be_visible()
    expect(page.get_by_role("button", name="Check and import")).to_be_disabled()
    checks.screenshot("import-running")
    checks.accessible("import running")
    page.evaluate("document.querySelector('form[data-busy]').submit()")
    expect(
        page.get_by_text("Import applied: 5 objectives and 10 key results created.")
    ).to_be_visible()

    page.goto(f"{live_server.url}/o/kestrel/okrs/cycles/")
    page.get_by_role("row", name=re.compile("Active")).get_by_role(
        "link", name=re.compile("XLSX")
    ).click()
    page.get_by_role("button", name="Prepare the XLSX export").click()
    # The test settings run tasks at once (immediate backend): the job is done when the page
    # opens. perf/jobs_http.py --browser watches the progress with the real worker.
    expect(page.get_by_role("link", name="Download the XLSX file")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Ready: \d+ rows\."))).to_be_visible()
    checks.screenshot("export-ready")
    checks.accessible("export ready")
