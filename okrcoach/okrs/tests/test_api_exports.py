"""XLSX exports through the API run in the task worker, as on the pages: the request answers the
job at once (202), its status endpoint reports progress and, once done, a download link; only the
person who asked may read the job or its file; files are deleted after EXPORT_RETENTION_HOURS by
a periodic task."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from openpyxl import load_workbook

from conftest import World
from okrcoach.okrs.models import Cycle, ExportJob
from okrcoach.okrs.selectors.exporting import EXPORT_COLUMNS
from okrcoach.okrs.tasks import delete_expired_exports

from .factories import CycleFactory, KeyResultFactory, ObjectiveFactory
from .test_api import Api

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _fill(world: World, cycle: Cycle, n: int) -> None:
    for i in range(n):
        objective = ObjectiveFactory(cycle=cycle, owner=world.member, title=f"Objective {i}")
        KeyResultFactory(objective=objective)


def _path(url: str) -> str:
    return urlsplit(url).path.removeprefix("/api/v1/okrs")


def _start(api: Api, cycle: Cycle, capture: Any) -> dict[str, Any]:
    with capture(execute=True):  # the job is enqueued on commit; tests run tasks at once
        response = api.send("post", f"/cycles/{cycle.public_id}/exports")
    assert response.status_code == 202, response.content
    assert response["Location"] == response.json()["status_url"]
    return response.json()


def test_the_worker_builds_the_file_and_the_job_offers_it_when_ready(
    world: World, cycle: Cycle, django_capture_on_commit_callbacks: Any
) -> None:
    _fill(world, cycle, 3)
    api = Api(world.member)
    started = _start(api, cycle, django_capture_on_commit_callbacks)
    # The answer was written before the worker ran: nothing was built in the request.
    assert started["status"] == "queued" and started["download_url"] is None
    job = api.get(_path(started["status_url"])).json()
    assert (job["status"], job["rows_done"], job["percent"]) == ("done", 3, 100)
    assert job["expires_at"] is not None and job["id"] == started["id"]
    download = api.get(_path(job["download_url"]))
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    assert download["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == EXPORT_COLUMNS and len(rows) == 4


def test_the_old_xlsx_link_now_answers_the_job(world: World, cycle: Cycle) -> None:
    response = Api(world.member).get(f"/cycles/{cycle.public_id}/export?format=xlsx")
    assert response.status_code == 202 and response.json()["status"] == "queued"
    job = ExportJob.objects.for_org(world.org).get()
    assert job.requested_by == world.member and str(job.public_id) == response.json()["id"]


def test_a_job_not_ready_is_409_on_download(world: World, cycle: Cycle) -> None:
    api = Api(world.member)
    body = api.send("post", f"/cycles/{cycle.public_id}/exports").json()  # never run
    response = api.get(f"/exports/{body['id']}/download")
    assert response.status_code == 409 and "queued" in response.json()["detail"]


def test_only_the_requester_reads_the_job_and_its_file(
    world: World, cycle: Cycle, django_capture_on_commit_callbacks: Any
) -> None:
    _fill(world, cycle, 1)
    job = _start(Api(world.member), cycle, django_capture_on_commit_callbacks)
    # The file holds what its requester may see: not even an admin of the organisation reads it.
    for other in (world.peer, world.admin, world.outsider):
        api = Api(other)
        assert api.get(f"/exports/{job['id']}").status_code == 404
        assert api.get(f"/exports/{job['id']}/download").status_code == 404
    outsider = Api(world.outsider)
    assert outsider.send("post", f"/cycles/{cycle.public_id}/exports").status_code == 404
    theirs = CycleFactory(organisation=world.other_org)
    assert Api(world.member).send("post", f"/cycles/{theirs.public_id}/exports").status_code == 404
    assert ExportJob.objects.for_org(world.org).count() == 1
    assert not ExportJob.objects.for_org(world.other_org).exists()


@pytest.mark.parametrize("n", [2, 20])
def test_the_job_status_costs_the_same_whatever_the_size(
    world: World, cycle: Cycle, n: int, assert_queries: Any
) -> None:
    _fill(world, cycle, n)
    api = Api(world.member)
    body = api.send("post", f"/cycles/{cycle.public_id}/exports").json()
    with assert_queries(2):  # the token with its member; the job with its cycle
        assert api.get(f"/exports/{body['id']}").status_code == 200


def _finished_job(world: World, cycle: Cycle, finished_hours_ago: float) -> tuple[ExportJob, Path]:
    job = ExportJob.objects.create(organisation=world.org, requested_by=world.member, cycle=cycle)
    name = f"exports/{world.org.public_id}/{job.public_id}.xlsx"
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"workbook")
    ExportJob.objects.for_org(world.org).filter(pk=job.pk).update(
        status=ExportJob.Status.DONE,
        file_name=name,
        finished_at=timezone.now() - timedelta(hours=finished_hours_ago),
    )
    return job, path


@override_settings(EXPORT_RETENTION_HOURS=24)
def test_the_periodic_task_deletes_files_past_their_retention(world: World, cycle: Cycle) -> None:
    old, old_file = _finished_job(world, cycle, finished_hours_ago=25)
    fresh, fresh_file = _finished_job(world, cycle, finished_hours_ago=23)
    lost = ExportJob.objects.create(organisation=world.org, requested_by=world.member, cycle=cycle)
    ExportJob.objects.for_org(world.org).filter(pk=lost.pk).update(
        created_at=timezone.now() - timedelta(hours=30)  # queued for a worker that died
    )
    api = Api(world.member)
    assert api.get(f"/exports/{old.public_id}/download").status_code == 200
    assert delete_expired_exports.call() == 2
    assert not old_file.exists() and fresh_file.exists()
    remaining = set(ExportJob.objects.for_org(world.org).values_list("pk", flat=True))
    assert remaining == {fresh.pk}
    assert api.get(f"/exports/{old.public_id}").status_code == 404
    assert api.get(f"/exports/{old.public_id}/download").status_code == 404
    assert api.get(f"/exports/{fresh.public_id}/download").status_code == 200
    assert delete_expired_exports.call() == 0  # safe to run again


@override_settings(EXPORT_RETENTION_HOURS=1)
def test_the_command_runs_the_retention_and_a_missing_file_is_404(
    world: World, cycle: Cycle, capsys: pytest.CaptureFixture[str]
) -> None:
    job, path = _finished_job(world, cycle, finished_hours_ago=0.5)
    path.unlink()  # e.g. deleted by another app server's retention run a moment ago
    assert Api(world.member).get(f"/exports/{job.public_id}/download").status_code == 404
    ExportJob.objects.for_org(world.org).filter(pk=job.pk).update(
        finished_at=timezone.now() - timedelta(hours=2)
    )
    call_command("delete_expired_exports")
    assert "1 expired export(s) deleted." in capsys.readouterr().out
    assert not ExportJob.objects.for_org(world.org).exists()
