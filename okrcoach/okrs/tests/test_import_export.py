"""Import of objectives with key results (CSV and XLSX, all or nothing) and export of a cycle."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal as D
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from conftest import World
from okrcoach.okrs.models import Cycle, KeyResult, Objective
from okrcoach.okrs.selectors.exporting import EXPORT_COLUMNS
from okrcoach.okrs.services import importing
from okrcoach.orgs.importing import ImportRejected

from .factories import CycleFactory, KeyResultFactory, ObjectiveFactory
from .test_pages import client_for, url

HEADER = "objective,level,team,owner_email,type,parent,key_result,kr_type,baseline,target,"
HEADER += "commit_label,target_label,direction\n"
GOOD = (
    HEADER
    + "Customers never chase us,team,Support,mia@acme.test,committed,,"
    + "Late deliveries fall,metric,40,10,,,decrease\n"
    + "Customers never chase us,team,Support,mia@acme.test,committed,,"
    + "Tracking page launched,milestone,,,,,\n"
    + "Answer every ticket in a day,personal,,max@acme.test,aspirational,"
    + "Customers never chase us,Ticket answers reach a standard,ordinal,,,"
    + "Templates written,All queues covered,\n"
)


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("okrs.csv", text.encode(), content_type="text/csv")


def _xlsx(text: str) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in csv.reader(io.StringIO(text)):
        sheet.append([float(v) if v.replace(".", "").isdigit() else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("okrs.xlsx", out.getvalue())


def _post(world: World, cycle: Cycle, upload: SimpleUploadedFile, who: str = "admin") -> Any:
    client = client_for(getattr(world, who))
    return client.post(url(world, "import"), {"cycle": cycle.pk, "file": upload})


@pytest.mark.parametrize("make", [_csv, _xlsx])
def test_admin_imports_objectives_with_their_key_results(
    world: World, cycle: Cycle, make: Callable[[str], SimpleUploadedFile]
) -> None:
    response = _post(world, cycle, make(GOOD))
    assert response.status_code == 302
    top = Objective.objects.for_org(world.org).get(title="Customers never chase us")
    assert top.owner == world.manager and top.team == world.team
    child = Objective.objects.for_org(world.org).get(parent=top)
    assert child.type == Objective.Type.ASPIRATIONAL and child.owner == world.member
    kinds = sorted(KeyResult.objects.for_org(world.org).values_list("kr_type", flat=True))
    assert kinds == ["metric", "milestone", "ordinal"]
    late = KeyResult.objects.for_org(world.org).get(title="Late deliveries fall")
    assert late.direction == "decrease" and late.baseline == D(40) and late.target == D(10)


def test_a_file_with_bad_rows_writes_nothing_and_names_line_and_column(
    world: World, cycle: Cycle
) -> None:
    bad = (
        HEADER
        + "Customers never chase us,team,Nowhere,mia@acme.test,committed,,KR one,metric,1,,,,\n"
        + "Second objective,galaxy,,nobody@acme.test,committed,Missing,KR two,metric,x,5,,,\n"
    )
    response = _post(world, cycle, _csv(bad))
    assert response.status_code == 200
    errors = {(e.line, e.field) for e in response.context["errors"]}
    assert {(2, "team"), (3, "level"), (3, "owner_email"), (3, "baseline"), (3, "parent")} <= (
        errors
    )
    assert not Objective.objects.for_org(world.org).exists()
    assert "Nothing was imported" in response.content.decode()


def test_a_rule_refused_by_the_services_rolls_back_the_rows_before_it(
    world: World, cycle: Cycle
) -> None:
    # The first objective is fine; the metric of the second has no target: nothing is kept.
    text = (
        HEADER
        + "Good objective,personal,,max@acme.test,committed,,Fine KR,metric,0,10,,,\n"
        + "Other objective,personal,,max@acme.test,committed,,No target,metric,0,,,,\n"
    )
    with pytest.raises(ImportRejected) as exc:
        importing.import_okrs(
            actor=world.admin, cycle=cycle, data=text.encode(), filename="okrs.csv"
        )
    assert [(e.line, e.field) for e in exc.value.errors] == [(3, "target")]
    assert not Objective.objects.for_org(world.org).exists()
    assert not KeyResult.objects.for_org(world.org).exists()


def test_missing_columns_and_objective_title_clashes_are_reported(
    world: World, cycle: Cycle
) -> None:
    with pytest.raises(ImportRejected) as missing:
        importing.import_okrs(
            actor=world.admin, cycle=cycle, data=b"objective\nX\n", filename="a.csv"
        )
    assert {e.field for e in missing.value.errors} == {"owner_email", "key_result"}
    ObjectiveFactory(cycle=cycle, owner=world.member, title="Customers never chase us")
    with pytest.raises(ImportRejected) as clash:
        importing.import_okrs(actor=world.admin, cycle=cycle, data=GOOD.encode(), filename="a.csv")
    assert (2, "objective") in {(e.line, e.field) for e in clash.value.errors}


def test_an_unreadable_workbook_is_refused(world: World, cycle: Cycle) -> None:
    response = _post(world, cycle, SimpleUploadedFile("okrs.xlsx", b"PK not really a zip"))
    assert [e.field for e in response.context["errors"]] == ["file"]


def test_import_page_documents_the_columns(world: World, assert_queries: Any) -> None:
    CycleFactory(organisation=world.org)
    client = client_for(world.admin)
    # membership with user (session from the cache, no switcher for one organisation), the
    # cycle choice (Django asks whether a choice without an empty label has any rows, then
    # reads them)
    with assert_queries(3):
        response = client.get(url(world, "import"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "kr_owner_email" in body and "objective_weight" in body and "kr_progress" in body


def test_only_admins_may_import(world: World, cycle: Cycle) -> None:
    assert client_for(world.manager).get(url(world, "import")).status_code == 403
    assert _post(world, cycle, _csv(GOOD), who="manager").status_code == 403
    assert not Objective.objects.for_org(world.org).exists()


def test_outsider_gets_404_on_import_and_export(world: World, cycle: Cycle) -> None:
    client = client_for(world.outsider)
    assert client.get(url(world, "import")).status_code == 404
    assert client.get(url(world, "export", cycle_id=cycle.public_id)).status_code == 404


def _fill(world: World, cycle: Cycle, n: int) -> None:
    for i in range(n):
        o = ObjectiveFactory(cycle=cycle, owner=world.member, team=world.team)
        KeyResultFactory(objective=o, title=f"=HYPERLINK({i})" if i == 0 else f"KR {i}")
        KeyResultFactory(objective=o)
    ObjectiveFactory(cycle=cycle, owner=world.member, title="Objective without key results")


def _body(response: Any) -> bytes:
    """The CSV export streams; the XLSX one does not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _read_csv(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_body(response).decode("utf-8-sig"))))


@pytest.mark.parametrize("n", [2, 20])
def test_export_runs_a_constant_number_of_queries(
    world: World, cycle: Cycle, assert_queries: Any, n: int
) -> None:
    _fill(world, cycle, n)
    client = client_for(world.member)
    # membership with user (session from the cache), cycle, the two counts that decide whether
    # it may stream (exports.streams_at_once), objectives, key results (XLSX and big CSV:
    # test_export_jobs.py, test_export_csv_jobs.py)
    with assert_queries(6):
        response = client.get(url(world, "export", cycle_id=cycle.public_id), {"format": "csv"})
        _body(response)  # a streamed body runs its queries as it is read
    assert response.status_code == 200
    rows = _read_csv(client.get(url(world, "export", cycle_id=cycle.public_id)))
    assert len(rows) == 2 * n + 1


def _xlsx_via_worker(client: Any, world: World, cycle: Cycle, capture: Any) -> bytes:
    """Start the XLSX job (the tests' immediate task backend runs it on commit), download it."""
    with capture(execute=True):
        started = client.post(url(world, "export_xlsx_start", cycle_id=cycle.public_id))
    assert started.status_code == 302
    download = client.get(started["Location"] + "download/")
    assert download.status_code == 200
    return b"".join(download.streaming_content)


def test_export_holds_results_and_defuses_formulas(
    world: World, cycle: Cycle, django_capture_on_commit_callbacks: Any
) -> None:
    _fill(world, cycle, 2)
    client = client_for(world.member)
    response = client.get(url(world, "export", cycle_id=cycle.public_id), {"format": "csv"})
    assert response["Content-Disposition"].startswith("attachment;")
    rows = _read_csv(response)
    assert list(rows[0]) == EXPORT_COLUMNS
    assert "'=HYPERLINK(0)" in {r["key_result"] for r in rows}
    assert {r["owner_email"] for r in rows} == {"max@acme.test"}
    xlsx = _xlsx_via_worker(client, world, cycle, django_capture_on_commit_callbacks)
    sheet = load_workbook(io.BytesIO(xlsx)).worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header == EXPORT_COLUMNS
    assert sheet.max_row == 6


def test_export_leaves_out_private_objectives_the_reader_cannot_see(
    world: World, cycle: Cycle
) -> None:
    secret = ObjectiveFactory(
        cycle=cycle, owner=world.member, visibility=Objective.Visibility.PRIVATE, title="Secret"
    )
    KeyResultFactory(objective=secret)
    peer = _read_csv(client_for(world.peer).get(url(world, "export", cycle_id=cycle.public_id)))
    manager = _read_csv(
        client_for(world.manager).get(url(world, "export", cycle_id=cycle.public_id))
    )
    assert "Secret" not in {r["objective"] for r in peer}
    assert "Secret" in {r["objective"] for r in manager}


def test_an_unknown_export_format_is_404(world: World, cycle: Cycle) -> None:
    client = client_for(world.member)
    response = client.get(url(world, "export", cycle_id=cycle.public_id), {"format": "pdf"})
    assert response.status_code == 404


def test_an_export_imports_into_another_cycle(world: World, cycle: Cycle) -> None:
    importing.import_okrs(actor=world.admin, cycle=cycle, data=GOOD.encode(), filename="a.csv")
    exported = client_for(world.admin).get(url(world, "export", cycle_id=cycle.public_id))
    later = CycleFactory(organisation=world.org, state=Cycle.State.PLANNING)
    result = importing.import_okrs(
        actor=world.admin, cycle=later, data=_body(exported), filename="export.csv"
    )
    assert (result.objectives, result.key_results) == (2, 3)
    copied = Objective.objects.for_org(world.org).get(cycle=later, level="personal")
    assert copied.parent is not None and copied.parent.cycle == later


def test_xlsx_export_control_characters(
    world: World, cycle: Cycle, django_capture_on_commit_callbacks: Any
) -> None:
    """Issue 10, problem 6: a control character pasted into a title or a name made openpyxl
    refuse the cell and the whole XLSX export fail. Cells are cleaned; the CSV keeps them."""
    world.member.user.full_name = "Max\x07 Member"
    world.member.user.save(update_fields=["full_name"])
    objective = ObjectiveFactory(cycle=cycle, owner=world.member, title="Ship\x01 the\x1b app")
    KeyResultFactory(objective=objective, title="Tabs\tand\x0bvertical\x0ctabs")
    client = client_for(world.member)
    data = _xlsx_via_worker(client, world, cycle, django_capture_on_commit_callbacks)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    objective_col = EXPORT_COLUMNS.index("objective")
    kr_col = EXPORT_COLUMNS.index("key_result")
    owner_col = EXPORT_COLUMNS.index("owner")
    assert [r[objective_col] for r in rows] == ["Ship the app"]
    assert [r[kr_col] for r in rows] == ["Tabs\tandverticaltabs"]
    assert [r[owner_col] for r in rows] == ["Max Member"]
    assert sheet.freeze_panes == "A2"
