"""Issue 10 (Trust), imports: files that used to answer 500 are refused with a message (problem
14); the row limit applies while reading (problem 4: a small XLSX that expands to many rows is
refused early, with little memory); a 2,000-row import writes in bulk, in a bounded number of
queries (Deliver 3; its time is measured by perf/import_bench.py, not here)."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from conftest import World
from okrcoach.academy.forms import parse_choice, parse_refresher_answers
from okrcoach.core.models import AuditEvent
from okrcoach.okrs.models import Cycle, KeyResult, Objective
from okrcoach.okrs.services import importing
from okrcoach.orgs import importing as people_importing
from okrcoach.orgs.importing import ImportRejected
from okrcoach.orgs.tests import factories as org_factories

PEAK_LIMIT = 40_000_000  # bytes
HEADER = "objective,level,owner_email,key_result,kr_type,baseline,target\n"


def _book(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rezip(data: bytes, change: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, change.get(item.filename, src.read(item.filename)))
    return out.getvalue()


def _refused(world: World, cycle: Cycle, data: bytes, filename: str) -> str:
    with pytest.raises(ImportRejected) as caught:
        importing.import_okrs(actor=world.admin, cycle=cycle, data=data, filename=filename)
    assert not Objective.objects.for_org(world.org).exists()
    return " ".join(e.message for e in caught.value.errors)


# --- 14: refused, not a server error -----------------------------------------------------------


def test_a_csv_cell_over_the_csv_modules_field_limit_is_refused(world: World, cycle: Cycle) -> None:
    data = (HEADER + '"' + "x" * 200_000 + '",team,mia@acme.test,,,,\n').encode()
    assert "longer than" in _refused(world, cycle, data, "okrs.csv") or "CSV" in _refused(
        world, cycle, data, "okrs.csv"
    )
    with pytest.raises(ImportRejected):
        people_importing.import_people_csv(
            actor=world.admin, data=b"email,full_name\n" + b'"' + b"y" * 200_000 + b'",A\n'
        )


def test_an_xlsx_with_a_dtd_is_refused(world: World, cycle: Cycle) -> None:
    good = _book([["objective", "owner_email", "key_result"], ["A", "mia@acme.test", ""]])
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    evil = sheet.replace(
        b"<worksheet",
        b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><worksheet',
        1,
    )
    assert "DTD" in _refused(
        world, cycle, _rezip(good, {"xl/worksheets/sheet1.xml": evil}), "x.xlsx"
    )


@pytest.mark.parametrize(
    "part",
    ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml", "xl/styles.xml"],
)
def test_an_xlsx_with_a_malformed_part_is_refused(world: World, cycle: Cycle, part: str) -> None:
    good = _book([["objective", "owner_email", "key_result"], ["A", "mia@acme.test", ""]])
    broken = _rezip(good, {part: b"<not-closed"})
    assert "readable XLSX" in _refused(world, cycle, broken, "okrs.xlsx")


def test_a_small_xlsx_that_expands_to_many_rows_is_refused_while_reading(
    world: World, cycle: Cycle
) -> None:
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x</t></is></c></row>'
        for n in range(2, 200_001)
    )
    good = _book([["objective"]])
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>objective</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>owner_email</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>key_result</t></is></c></row>'
        f"{rows}</sheetData></worksheet>"
    ).encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good)) as src,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            body = sheet if item.filename == "xl/worksheets/sheet1.xml" else src.read(item.filename)
            dst.writestr(item.filename, body, compress_type=zipfile.ZIP_DEFLATED)
    data = out.getvalue()
    assert len(data) < 1_500_000  # about 1 MB on disk, 200,000 rows inside
    tracemalloc.start()
    try:
        message = _refused(world, cycle, data, "okrs.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "too many lines" in message or "At most" in message
    # Reading stopped at the row limit: 200,000 rows read whole would take hundreds of MB.
    assert peak < PEAK_LIMIT, f"peak {peak / 1e6:.1f} MB"


def test_control_characters_in_imported_cells_are_removed(world: World, cycle: Cycle) -> None:
    data = (
        HEADER + "Calm\x07er nights,personal,max@acme.test,Pages\x00 drop,metric,10,5\n"
    ).encode()
    data = data.replace(b"metric,10,5", b"metric,10,20")
    importing.import_okrs(actor=world.admin, cycle=cycle, data=data, filename="okrs.csv")
    assert Objective.objects.for_org(world.org).get().title == "Calmer nights"
    assert KeyResult.objects.for_org(world.org).get().title == "Pages drop"


def test_an_imported_value_beyond_the_bounds_is_refused(world: World, cycle: Cycle) -> None:
    data = (HEADER + "Calmer nights,personal,max@acme.test,Pages drop,metric,0,1e15\n").encode()
    assert "between" in _refused(world, cycle, data, "okrs.csv")


@pytest.mark.parametrize(
    "data",
    [{"choice": "9" * 30}, {"choice": "9" * 5000}, {"r-" + "9" * 30: "1"}, {"r-1": "9" * 30}],
    ids=["choice", "choice-5000-digits", "refresher-id", "refresher-answer"],
)
def test_an_absurd_number_in_an_academy_form_is_a_form_error(data: dict[str, str]) -> None:
    from django.core.exceptions import ValidationError
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query.update(data)
    with pytest.raises(ValidationError):
        parse_choice(query) if "choice" in data else parse_refresher_answers(query)


# --- Deliver 3: 2,000 rows, bulk writes, quick ------------------------------------------------


def _big_file(objectives: int, krs_each: int) -> bytes:
    lines = [HEADER]
    for o in range(objectives):
        for k in range(krs_each):
            lines.append(
                f"Objective number {o} gets calmer,personal,max@acme.test,"
                f"Metric {k} of objective {o} rises,metric,0,{10 + k}\n"
            )
    return "".join(lines).encode()


@pytest.mark.parametrize(("objectives", "krs_each"), [(50, 4), (500, 4)])
def test_a_large_import_writes_in_a_bounded_number_of_queries(
    world: World, cycle: Cycle, objectives: int, krs_each: int
) -> None:
    data = _big_file(objectives, krs_each)
    with CaptureQueriesContext(connection) as ctx:
        result = importing.import_okrs(actor=world.admin, cycle=cycle, data=data, filename="x.csv")
    assert (result.objectives, result.key_results) == (objectives, objectives * krs_each)
    writes = [
        q
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    # Bulk inserts of objectives, key results and audit rows: one statement per batch (SQLite's
    # 999-parameter limit makes a batch about 40 key results), never one per row.
    assert len(writes) <= objectives * krs_each // 15 + 10, len(writes)
    assert (
        AuditEvent.objects.for_org(world.org).filter(action="okrs.key_result.created").count()
        == objectives * krs_each
    )


def _owners(world: World, n: int) -> list[str]:
    """n active members, each in a team of their own."""
    emails = []
    for i in range(n):
        team = org_factories.TeamFactory(organisation=world.org, name=f"Owners {n}.{i}")
        m = org_factories.MembershipFactory(organisation=world.org, team=team)
        emails.append(m.user.email)
    return emails


@pytest.mark.parametrize("owners", [2, 12])
def test_an_import_reads_the_same_queries_whatever_the_number_of_owners(
    world: World, cycle: Cycle, owners: int
) -> None:
    emails = _owners(world, owners)
    lines = [HEADER]
    for o in range(24):
        owner = emails[o % owners].upper()  # emails match whatever their case
        lines.append(f"Objective {o} gets calmer,personal,{owner},Metric of {o} rises,metric,0,9\n")
    with CaptureQueriesContext(connection) as ctx:
        importing.import_okrs(
            actor=world.admin, cycle=cycle, data="".join(lines).encode(), filename="x.csv"
        )
    reads = [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    # The members the file names, with their teams: one query, never one per owner.
    assert len(reads) == 5, "\n".join(q["sql"][:120] for q in reads)
    # A personal objective takes its owner's team.
    for objective in Objective.objects.for_org(world.org).select_related("owner"):
        assert objective.team_id == objective.owner.team_id
