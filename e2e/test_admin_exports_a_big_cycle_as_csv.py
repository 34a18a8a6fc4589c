"""Journey: the demo admin exports a cycle too big to stream as CSV (EXPORT_STREAM_MAX_ROWS is
lowered here): the CSV link explains that the file is prepared in the background, and the job's
page offers the CSV file, the same bytes the streamed download would have given."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import PageChecks
from okrcoach.demo.okrs import seed_okrs
from okrcoach.demo.people import DEMO_PASSWORD, seed_people

ADMIN = "nora.quinn@kestrel.example"


@pytest.mark.django_db(transaction=True)
def test_admin_is_told_why_a_big_csv_export_is_prepared_then_downloads_it(
    live_server: Any, page: Any, checks: PageChecks, settings: Any
) -> None:
    settings.EXPORT_STREAM_MAX_ROWS = 5
    seed_people()
    seed_okrs()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(ADMIN)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/o/kestrel/okrs/cycles/")
    page.get_by_role("row", name=re.compile("Active")).get_by_role(
        "link", name=re.compile("CSV")
    ).click()
    expect(
        page.get_by_role("status").filter(has_text="too many to download at once")
    ).to_be_visible()
    checks.screenshot("csv-export-offered")
    checks.accessible("csv export offered")
    page.get_by_role("button", name="Prepare the CSV export").click()
    # The test settings run tasks at once (immediate backend): the job is done when the page opens.
    expect(page.get_by_text(re.compile(r"Ready: \d+ rows\."))).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the CSV file").click()
    download = info.value
    assert re.fullmatch(r"okrs-[a-z0-9-]+\.csv", download.suggested_filename)
    data = Path(download.path()).read_bytes()
    assert data.startswith("\ufeffcycle,objective,".encode())
    checks.screenshot("csv-export-ready")
    checks.accessible("csv export ready")
