"""A CSV export of more than EXPORT_STREAM_MAX_ROWS rows is built by the task worker, as the XLSX
one is (gunicorn's sync worker would kill a long streamed download at its timeout): the page and
the API say so and offer the job; its file is byte for byte the streamed CSV; only the person who
asked reads the job or its file; the retention task deletes CSV files too."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from django.utils.text import slugify

from conftest import World
from okrcoach.okrs.models import Cycle, ExportJob
from okrcoach.okrs.selectors.exporting import cycle_csv
from okrcoach.okrs.services import exports
from okrcoach.okrs.tasks import delete_expired_exports

from .factories import CycleFactory, KeyResultFactory, ObjectiveFactory
from .test_api import Api
from .test_pages import client_for, url

CSV = "text/csv; charset=utf-8"


def _fill(world: World, cycle: Cycle) -> None:
    """Five rows whose text needs quoting, escaping and a defused formula."""
    tricky = ObjectiveFactory(
        cycle=cycle, owner=world.member, team=world.team, title='Grow, "fast"\nin Zürich'
    )
    KeyResultFactory(objective=tricky, title="=HYPERLINK(0)")
    KeyResultFactory(objective=tricky, title="Ünïcödé ✓")
    plain = ObjectiveFactory(cycle=cycle, owner=world.member, team=world.team, title="Plain")
    KeyResultFactory(objective=plain)
    ObjectiveFactory(cycle=cycle, owner=world.member, title="Objective without key results")


def _download(response: Any) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def test_a_cycle_above_the_threshold_offers_the_csv_job_and_its_file_is_the_streamed_csv(
    world: World, cycle: Cycle, django_capture_on_commit_callbacks: Any
) -> None:
    _fill(world, cycle)  # 4 rows: one more than the limit below
    client = client_for(world.member)
    export = url(world, "export", cycle_id=cycle.public_id)
    with override_settings(EXPORT_STREAM_MAX_ROWS=4):
        streamed = client.get(export, {"format": "csv"})
    assert streamed.streaming and streamed["Content-Type"] == CSV
    streamed_bytes = _download(streamed)
    assert streamed_bytes.startswith("\ufeff".encode())

    with override_settings(EXPORT_STREAM_MAX_ROWS=3):
        offer = client.get(export, {"format": "csv"})
    page = offer.content.decode()
    assert offer.status_code == 200 and not offer.streaming
    assert "more than 3 rows: too many to download at once" in page
    assert "Prepare the CSV export" in page
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url(world, "export_csv_start", cycle_id=cycle.public_id))
    job = ExportJob.objects.for_org(world.org).get()
    assert started["Location"] == url(world, "export_job", job_id=job.public_id)
    assert (job.format, job.requested_by) == (ExportJob.Format.CSV, world.member)
    ready = client.get(started["Location"]).content.decode()
    assert "Ready: 4 rows." in ready and "Download the CSV file" in ready
    download = client.get(started["Location"] + "download/")
    assert download["Content-Type"] == CSV
    name = f"okrs-{slugify(cycle.name)}.csv"
    assert download["Content-Disposition"] == f'attachment; filename="{name}"'
    assert _download(download) == streamed_bytes == cycle_csv(world.member, cycle)


def test_the_api_answers_a_job_for_a_big_csv_and_its_file_is_the_streamed_csv(
    world: World, cycle: Cycle, django_capture_on_commit_callbacks: Any
) -> None:
    _fill(world, cycle)
    api = Api(world.member)
    path = f"/cycles/{cycle.public_id}/export?format=csv"
    streamed = api.get(path)
    assert streamed.status_code == 200 and streamed["Content-Type"] == CSV
    with (
        override_settings(EXPORT_STREAM_MAX_ROWS=3),
        django_capture_on_commit_callbacks(execute=True),
    ):
        answered = api.get(path)
    assert answered.status_code == 202, answered.content
    body = answered.json()
    assert body["format"] == "csv" and answered["Location"] == body["status_url"]
    job = api.get(f"/exports/{body['id']}").json()
    assert (job["status"], job["rows_done"]) == ("done", 4)
    download = api.get(f"/exports/{body['id']}/download")
    assert download["Content-Type"] == CSV
    assert download["Content-Disposition"].endswith('.csv"')
    assert _download(download) == _download(streamed)
    # Asked for directly, whatever the size.
    direct = api.send("post", f"/cycles/{cycle.public_id}/exports?format=csv")
    assert direct.status_code == 202 and direct.json()["format"] == "csv"
    assert api.send("post", f"/cycles/{cycle.public_id}/exports?format=pdf").status_code == 422


def test_only_the_requester_reads_a_csv_job_and_its_file(
    world: World, cycle: Cycle, django_capture_on_commit_callbacks: Any
) -> None:
    _fill(world, cycle)
    with django_capture_on_commit_callbacks(execute=True):
        job = exports.request_export(actor=world.member, cycle=cycle, format="csv")
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    page = url(world, "export_job", job_id=job.public_id)
    assert client_for(world.member).get(page + "download/").status_code == 200
    # The file holds what its requester may see: not even an admin of the organisation reads it.
    for other in (world.peer, world.admin, world.outsider):
        client = client_for(other)
        assert client.get(page).status_code == 404
        assert client.get(page + "download/").status_code == 404
        api = Api(other)
        assert api.get(f"/exports/{job.public_id}").status_code == 404
        assert api.get(f"/exports/{job.public_id}/download").status_code == 404
    start = url(world, "export_csv_start", cycle_id=cycle.public_id)
    assert client_for(world.outsider).post(start).status_code == 404
    theirs = CycleFactory(organisation=world.other_org)
    theirs_start = url(world, "export_csv_start", cycle_id=theirs.public_id)
    assert client_for(world.member).post(theirs_start).status_code == 404
    api_start = f"/cycles/{theirs.public_id}/exports?format=csv"
    assert Api(world.member).send("post", api_start).status_code == 404
    assert client_for(world.member).get(start).status_code == 405  # GET never starts a job
    assert ExportJob.objects.for_org(world.org).count() == 1
    assert not ExportJob.objects.for_org(world.other_org).exists()


@override_settings(EXPORT_RETENTION_HOURS=24)
def test_the_retention_deletes_csv_files_and_their_leftovers(world: World, cycle: Cycle) -> None:
    done = ExportJob.objects.create(
        organisation=world.org, requested_by=world.member, cycle=cycle, format="csv"
    )
    name = f"exports/{world.org.public_id}/{done.public_id}.csv"
    done_file = Path(settings.MEDIA_ROOT) / name
    done_file.parent.mkdir(parents=True, exist_ok=True)
    done_file.write_bytes(b"csv")
    ExportJob.objects.for_org(world.org).filter(pk=done.pk).update(
        status=ExportJob.Status.DONE,
        file_name=name,
        finished_at=timezone.now() - timedelta(hours=25),
    )
    # A worker that died mid-way: no file_name recorded, the file and its .part on disk.
    lost = ExportJob.objects.create(
        organisation=world.org, requested_by=world.member, cycle=cycle, format="csv"
    )
    lost_file = done_file.with_name(f"{lost.public_id}.csv")
    lost_file.write_bytes(b"csv")
    lost_file.with_suffix(".part").write_bytes(b"cs")
    ExportJob.objects.for_org(world.org).filter(pk=lost.pk).update(
        status=ExportJob.Status.RUNNING, created_at=timezone.now() - timedelta(hours=30)
    )
    assert delete_expired_exports.call() == 2
    assert not done_file.exists() and not lost_file.exists()
    assert not lost_file.with_suffix(".part").exists()
    assert not ExportJob.objects.for_org(world.org).exists()
