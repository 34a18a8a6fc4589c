"""XLSX exports run in the task worker: the request records a job, the worker (django-tasks-db's
real db_worker here) writes the workbook to disk reporting rows done, the page polls with htmx
until the file is ready and offers it to the person who asked, and only to them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from openpyxl import load_workbook

from conftest import World
from okrcoach.okrs.models import Cycle, ExportJob
from okrcoach.okrs.selectors.exporting import EXPORT_COLUMNS, cycle_rows
from okrcoach.okrs.services import exports

from .factories import KeyResultFactory, ObjectiveFactory
from .test_pages import client_for, url

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _fill(world: World, cycle: Cycle, n: int) -> None:
    for i in range(n):
        o = ObjectiveFactory(cycle=cycle, owner=world.member, team=world.team, title=f"Obj {i}")
        KeyResultFactory(objective=o)
        KeyResultFactory(objective=o)
    ObjectiveFactory(cycle=cycle, owner=world.member, title="Objective without key results")


def _job_url(world: World, job: ExportJob, suffix: str = "") -> str:
    return url(world, "export_job", job_id=job.public_id) + suffix


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_the_worker_builds_the_export_and_the_page_offers_it_when_ready(
    world: World, cycle: Cycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(world, cycle, 6)  # 13 rows
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 4)
    client = client_for(world.member)
    offer = client.get(url(world, "export", cycle_id=cycle.public_id), {"format": "xlsx"})
    assert offer.status_code == 200 and "Prepare the XLSX export" in offer.content.decode()
    started = client.post(url(world, "export_xlsx_start", cycle_id=cycle.public_id))
    assert started.status_code == 302
    job = ExportJob.objects.for_org(world.org).get()
    assert started["Location"] == _job_url(world, job)
    assert job.status == ExportJob.Status.QUEUED and job.requested_by == world.member
    # Nothing was built in the request: the page polls while the job waits for the worker.
    waiting = client.get(_job_url(world, job), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in waiting and 'hx-trigger="every 1s"' in waiting
    assert "Waiting for the worker" in waiting and "<script" not in waiting
    assert client.get(_job_url(world, job, "download/")).status_code == 404

    seen: list[int] = []
    real_progress = exports._progress

    def watching(job: ExportJob, **fields: Any) -> None:
        real_progress(job, **fields)
        if "rows_done" in fields:
            seen.append(fields["rows_done"])
            if fields.get("status") is None:
                # Mid-way, the page says how many rows are done and keeps polling.
                page = client.get(_job_url(world, job), HTTP_HX_REQUEST="true").content
                assert f"{fields['rows_done']} of 13 rows done." in page.decode()
                assert b'hx-trigger="every 1s"' in page

    monkeypatch.setattr(exports, "_progress", watching)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert seen == [0, 4, 8, 12, 13]

    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.rows_done == 13
    ready = client.get(_job_url(world, job), HTTP_HX_REQUEST="true").content.decode()
    assert "Ready: 13 rows." in ready and "hx-trigger" not in ready  # polling stops
    download = client.get(_job_url(world, job, "download/"))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0] == EXPORT_COLUMNS
    expected = list(cycle_rows(world.member, cycle))
    assert [r[EXPORT_COLUMNS.index("objective")] for r in cells] == [
        r[EXPORT_COLUMNS.index("objective")] for r in expected
    ]


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_a_failed_export_says_so_and_stops_polling(
    world: World, cycle: Cycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(world, cycle, 1)
    client = client_for(world.member)
    client.post(url(world, "export_xlsx_start", cycle_id=cycle.public_id))

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr(exports, "cycle_rows", broken)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    job = ExportJob.objects.for_org(world.org).get()
    assert job.status == ExportJob.Status.FAILED and job.error == "disk full"
    page = client.get(_job_url(world, job), HTTP_HX_REQUEST="true").content.decode()
    assert "The export failed" in page and "hx-trigger" not in page


def test_only_the_requester_sees_the_job_and_its_file(
    world: World, cycle: Cycle, django_capture_on_commit_callbacks: Any
) -> None:
    _fill(world, cycle, 1)
    with django_capture_on_commit_callbacks(execute=True):
        job = exports.request_export(actor=world.member, cycle=cycle)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    for other in (world.peer, world.admin, world.outsider):
        client = client_for(other)
        assert client.get(_job_url(world, job)).status_code == 404
        assert client.get(_job_url(world, job, "download/")).status_code == 404
    outsider = client_for(world.outsider)
    start = url(world, "export_xlsx_start", cycle_id=cycle.public_id)
    assert outsider.post(start).status_code == 404
    assert client_for(world.member).get(start).status_code == 405  # GET never starts a job
    assert ExportJob.objects.for_org(world.org).count() == 1


@pytest.mark.parametrize("n", [2, 20])
def test_the_job_page_runs_a_constant_number_of_queries(
    world: World, cycle: Cycle, assert_queries: Any, n: int
) -> None:
    _fill(world, cycle, n)
    job = ExportJob.objects.create(organisation=world.org, requested_by=world.member, cycle=cycle)
    client = client_for(world.member)
    # membership with user (session from the cache), the job with its cycle
    with assert_queries(2):
        response = client.get(_job_url(world, job), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
