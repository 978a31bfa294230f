"""``import_appendix``: the command, the import record, and how tables are recognised in a workbook.

The input files are the workbook ``export_appendix`` writes (for the round trip) or the report's printed tables
(``workbooks.printed_rows``); expected figures come from the report's text, never from the importer.
"""

import contextlib
import hashlib
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from statistics import models
from statistics.imports import import_appendix

from .conftest import FIGURE_MODELS
from .factories import RegionFactory, UserFactory
from .workbooks import (
    add,
    entity_count,
    expected_cells,
    offset,
    printed_rows,
    stored_cells,
    workbook_values,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


NUMBERS = range(1, 13)
FIGURE_TABLES = tuple(
    table for model in FIGURE_MODELS for table in (model._meta.db_table, model.history.model._meta.db_table)
)


def history_counts() -> dict[str, int]:
    return {model.__name__: model.history.count() for model in FIGURE_MODELS}


def figure_writes(queries) -> list[str]:
    """The INSERT, UPDATE and DELETE statements on figures tables (and their history tables) among ``queries``
    (with PostgreSQL's merge, ``WITH … INSERT …``, which writes a figures table and its history in one statement)."""
    return [
        query["sql"]
        for query in queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "WITH"))
        and any(table in query["sql"] for table in FIGURE_TABLES)
    ]


def run(*arguments) -> str:
    out = io.StringIO()
    call_command("import_appendix", *map(str, arguments), stdout=out)
    return out.getvalue()


def last_run() -> models.ImportRun:
    return models.ImportRun.objects.latest("pk")


@pytest.fixture(scope="module")
def exported(django_db_setup, django_db_blocker, tmp_path_factory):
    """The 2025 workbook as ``export_appendix`` writes it from the report's figures (exported once; it only reads)."""
    path = tmp_path_factory.mktemp("export") / "appendix_2025.xlsx"
    with django_db_blocker.unblock():
        call_command("export_appendix", "--year", "2025", "--output", str(path), stdout=io.StringIO())
    return path


@pytest.fixture
def all_tables(report):
    return [report[number] for number in NUMBERS]


def edit_table(source, target, number: int, edit) -> None:
    """Copy the workbook ``source`` to ``target`` with ``edit(rows)`` applied to the sheet of table ``number``."""
    workbook = load_workbook(source)
    sheet = next(sheet for sheet in workbook if sheet["A1"].value.startswith(f"表 {number} "))
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    before = [list(row) for row in rows]
    edit(rows)
    for line, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if line > len(before) or value != before[line - 1][column - 1]:
                sheet.cell(line, column).value = value
    workbook.save(target)


@pytest.fixture
def changed_workbook(exported, tmp_path, report):
    """The exported workbook with 北京's 2025 inventions in table 1 one higher, and its totals raised to match."""

    def raise_beijing(rows):
        for label in ("北京", "国内总计"):
            for measure in ("发明", "合计"):
                add(rows, report[1], label, 2025, measure, 1)

    path = tmp_path / "appendix_2025_corrected.xlsx"
    edit_table(exported, path, 1, raise_beijing)
    return path


# ---------------------------------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------------------------------


def test_round_trip_through_a_reference_only_database(exported, no_figures, count_figures, all_tables, tmp_path):
    """Importing the exported workbook stores every printed figure; exporting again gives the same workbook."""
    assert sum(count_figures().values()) == 0
    out = run(exported)
    created = entity_count(*all_tables)
    assert f"{created} rows were created, 0 updated, 0 unchanged" in out
    assert sum(count_figures().values()) == created
    for table in all_tables:
        assert stored_cells(table) == expected_cells(table), f"表 {table.number}"
    again = tmp_path / "again.xlsx"
    call_command("export_appendix", "--year", "2025", "--output", str(again), stdout=io.StringIO())
    first, second = workbook_values(exported), workbook_values(again)
    assert len(first) == len(second) == 12
    for (first_title, first_rows), (second_title, second_rows) in zip(first, second, strict=True):
        assert first_title == second_title
        assert first_rows == second_rows, first_title


def test_round_trip_spot_values(exported, no_figures):
    """The report's anchors after the import: table 7 北京 2025 申请量, table 1 国内总计 2025 合计."""
    run(exported)
    beijing = models.Region.objects.get(name_zh="北京")
    assert models.RegionTrademarkFigure.objects.get(region=beijing, year=2025).applications == 392200
    filed = models.RegionPatentFigure.objects.filter(year=2025, measure="filed", region__level="province")
    assert sum(figure.total for figure in filed) == 5149772


def test_reimporting_the_same_file_changes_nothing(exported, all_tables):
    """Everything unchanged: 0 created, 0 updated, no history row added, and no write statement on any figure."""
    before = history_counts()
    with CaptureQueriesContext(connection) as queries:
        out = run(exported)
    unchanged = entity_count(*all_tables)
    assert f"0 rows were created, 0 updated, {unchanged} unchanged" in out
    assert (last_run().created, last_run().updated, last_run().unchanged) == (0, 0, unchanged)
    assert history_counts() == before
    assert figure_writes(queries.captured_queries) == []


def written_tables(writes) -> set[str]:
    """The figures tables (and history tables) that statements write into, by every table named after
    ``INSERT INTO``/``UPDATE``/``DELETE FROM`` (a PostgreSQL staging table is not a figures table)."""
    targets = set()
    for sql in writes:
        for match in re.finditer(r'(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', sql, re.IGNORECASE):
            if match.group(1) in FIGURE_TABLES:
                targets.add(match.group(1))
    return targets


def test_the_write_detector_sees_writes(changed_workbook):
    """``figure_writes`` is not blind: a correction writes the figure's table and its history table (an UPDATE and
    an INSERT on SQLite; a merge from a staging table on PostgreSQL, ``statistics/figure_writes.py``)."""
    with CaptureQueriesContext(connection) as queries:
        run(changed_workbook)
    model = models.RegionPatentFigure
    assert written_tables(figure_writes(queries.captured_queries)) == {
        model._meta.db_table,
        model.history.model._meta.db_table,
    }


def test_changing_one_value_updates_exactly_that_row(changed_workbook, report, all_tables):
    """One corrected cell (totals raised to match) updates one row; its history holds before, after and the reason."""
    before = history_counts()
    out = run(changed_workbook)
    assert f"0 rows were created, 1 updated, {entity_count(*all_tables) - 1} unchanged" in out
    printed = report[1].value("北京", 2025, "发明")
    figure = models.RegionPatentFigure.objects.get(region__name_zh="北京", year=2025, measure="filed")
    assert figure.invention == printed + 1
    assert history_counts() == before | {"RegionPatentFigure": before["RegionPatentFigure"] + 1}
    latest = figure.history.latest()
    assert latest.history_type == "~"
    assert (latest.prev_record.invention, latest.invention) == (printed, printed + 1)
    changes = latest.diff_against(latest.prev_record).changes
    assert [(change.field, change.old, change.new) for change in changes] == [("invention", printed, printed + 1)]
    assert changed_workbook.name in latest.history_change_reason
    assert latest.history_user is None
    expected = expected_cells(report[1])
    expected[("北京", 2025, "invention")] += 1
    assert stored_cells(report[1]) == expected
    for table in all_tables[1:]:
        assert stored_cells(table) == expected_cells(table), f"表 {table.number}"


def test_the_history_names_the_user_who_imported(changed_workbook):
    """Through ``import_appendix(user=…)`` the changed row's history names that user and the file."""
    user = UserFactory()
    outcome = import_appendix(changed_workbook.read_bytes(), changed_workbook.name, user=user)
    assert outcome.ok, outcome.problems
    latest = models.RegionPatentFigure.history.filter(region__name_zh="北京", year=2025, measure="filed").latest()
    assert latest.history_user == user
    assert changed_workbook.name in latest.history_change_reason


def test_dry_run_writes_nothing_but_reports_the_counts(exported, no_figures, count_figures, all_tables):
    """``--dry-run`` prints what would be created and writes no figure and no history row."""
    before = history_counts()
    out = run(exported, "--dry-run")
    assert f"{entity_count(*all_tables)} rows would be created, 0 updated, 0 unchanged" in out
    assert sum(count_figures().values()) == 0
    assert history_counts() == before


def test_dry_run_of_a_correction_reports_one_update(changed_workbook, report):
    printed = report[1].value("北京", 2025, "发明")
    out = run(changed_workbook, "--dry-run")
    assert "0 rows would be created, 1 updated" in out
    figure = models.RegionPatentFigure.objects.get(region__name_zh="北京", year=2025, measure="filed")
    assert figure.invention == printed


def test_a_bad_file_fails_with_every_problem_listed(tmp_path, report, count_figures):
    """A CommandError (exit status 1) whose message lists each problem with its row; nothing is written."""
    rows = printed_rows(report[7])
    rows += [["火星", 1, 1, 1, 1, 1, 1], ["月球", 1, 1, 1, 1, 1, 1], ["北京", 0, 0, 0, 0, 0, 0]]
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx_bytes(("商标", rows)))
    before = count_figures()
    with pytest.raises(CommandError) as error:
        run(path)
    assert error.value.returncode == 1
    message = str(error.value)
    assert "3 problem(s)" in message
    lines = message.splitlines()[1:]
    assert len(lines) == 3
    expected = [(len(rows) - 2, "火星"), (len(rows) - 1, "月球"), (len(rows), "北京")]
    for line, (row, label) in zip(lines, expected, strict=True):
        assert "商标" in line and f"{row} 行" in line and label in line
    assert count_figures() == before


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "missing.xlsx")


# ---------------------------------------------------------------------------------------------------------------
# The import record
# ---------------------------------------------------------------------------------------------------------------


def test_a_successful_import_is_recorded(exported, no_figures, all_tables):
    content = exported.read_bytes()
    user = UserFactory()
    outcome = import_appendix(content, "附录一.xlsx", user=user)
    run_record = models.ImportRun.objects.get(pk=outcome.run.pk)
    assert run_record.kind == "appendix"
    assert run_record.user == user
    assert run_record.filename == "附录一.xlsx"
    assert run_record.sha256 == hashlib.sha256(content).hexdigest()
    assert run_record.status == models.ImportRun.Status.SUCCEEDED
    created = entity_count(*all_tables)
    assert (run_record.created, run_record.updated, run_record.unchanged, run_record.rejected) == (created, 0, 0, 0)
    assert run_record.total_rows == run_record.processed_rows == sum(len(table.rows) for table in all_tables)
    assert run_record.problems == []
    assert run_record.finished_at is not None


def test_a_dry_run_is_recorded_as_previewed(exported, no_figures, count_figures, all_tables):
    outcome = import_appendix(exported.read_bytes(), exported.name, dry_run=True)
    run_record = models.ImportRun.objects.get(pk=outcome.run.pk)
    assert run_record.status == models.ImportRun.Status.PREVIEWED
    assert (run_record.created, run_record.updated, run_record.unchanged) == (entity_count(*all_tables), 0, 0)
    assert sum(count_figures().values()) == 0


def test_a_refused_import_is_recorded_with_its_problems(report, count_figures):
    """Refused: the file's hash, no counts, one rejected row per row with a problem, every problem's text."""
    rows = [*printed_rows(report[7]), ["火星", 1, 1, 1, 1, 1, 1], ["北京", 0, 0, 0, 0, 0, 0]]
    content = xlsx_bytes(("Sheet1", rows))
    before = count_figures()
    user = UserFactory()
    outcome = import_appendix(content, "bad.xlsx", user=user)
    run_record = models.ImportRun.objects.get(pk=outcome.run.pk)
    assert run_record.status == models.ImportRun.Status.REFUSED
    assert run_record.user == user
    assert run_record.sha256 == hashlib.sha256(content).hexdigest()
    assert (run_record.created, run_record.updated, run_record.unchanged) == (0, 0, 0)
    assert run_record.rejected == 2
    assert len(run_record.problems) == 2
    assert "火星" in run_record.problems[0] and f"{len(rows) - 1} 行" in run_record.problems[0]
    assert "北京" in run_record.problems[1] and f"{len(rows)} 行" in run_record.problems[1]
    assert count_figures() == before


def test_an_import_that_breaks_while_writing_is_recorded_as_failed(report, no_figures, monkeypatch):
    """An unexpected error is not left as "running" for ever: the run is marked failed, with the error."""

    def broken_write(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr("statistics.imports.write_tables", broken_write)
    with contextlib.suppress(DatabaseError):  # re-raising the error or returning an outcome are both fine
        import_appendix(xlsx_bytes(("Sheet1", printed_rows(report[7]))), "t.xlsx")
    run_record = last_run()
    assert run_record.status == models.ImportRun.Status.FAILED
    assert run_record.finished_at is not None
    assert any("disk full" in problem for problem in run_record.problems)


# ---------------------------------------------------------------------------------------------------------------
# Recognition: tables are found by their title, years come from the header
# ---------------------------------------------------------------------------------------------------------------


def assert_imported(content: bytes, filename: str, *tables, years=None):
    outcome = import_appendix(content, filename)
    assert outcome.ok, [str(problem) for problem in outcome.problems]
    assert sorted(data.table.number for data in outcome.tables) == sorted(table.number for table in tables)
    for table in tables:
        assert stored_cells(table, years) == expected_cells(table, years), f"表 {table.number}"
    return outcome


def test_sheets_are_found_by_title_not_by_name_or_position(report, no_figures):
    """Sheets named anything, in any order: each table is recognised by the title it holds."""
    content = xlsx_bytes(
        ("Sheet3", printed_rows(report[12])),
        ("表1", printed_rows(report[7])),
        ("数据", printed_rows(report[1])),
        ("Sheet1", printed_rows(report[9])),
    )
    assert_imported(content, "renamed.xlsx", report[12], report[7], report[1], report[9])


def test_two_tables_in_one_sheet(report, no_figures):
    rows = [*printed_rows(report[7]), [], [], *printed_rows(report[8])]
    assert_imported(xlsx_bytes(("商标", rows)), "trademarks.xlsx", report[7], report[8])


def test_a_table_starting_at_d5(report, no_figures):
    content = xlsx_bytes(("Sheet1", offset(printed_rows(report[1]), down=4, right=3)))
    assert_imported(content, "d5.xlsx", report[1])


def test_the_title_may_sit_inside_a_longer_cell_anywhere_in_the_row(report, no_figures):
    rows = printed_rows(report[7])
    rows[0] = [None, None, f"附录一  {report[7].title}  （初步数据）"]
    assert_imported(xlsx_bytes(("Sheet1", rows)), "title.xlsx", report[7])


def test_years_come_from_the_header(report, no_figures):
    """A table whose header says 2023 年 and 2024 年 imports into 2023 and 2024, not the report's years."""
    table = report[7]
    rows = printed_rows(table)
    rows[0] = ["表 7 分地区国内商标申请、注册及有效注册年度状况"]
    rows[2] = [{"2024 年": "2023 年", "2025 年": "2024 年"}.get(cell, cell) for cell in rows[2]]
    assert_imported(xlsx_bytes(("Sheet1", rows)), "years.xlsx", table, years=[2023, 2024])
    assert not models.RegionTrademarkFigure.objects.filter(year=2025).exists()
    assert models.RegionTrademarkFigure.objects.get(region__name_zh="北京", year=2024).applications == table.value(
        "北京", 2025, "申请量"
    )


# ---------------------------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------------------------


def small_trademark_table(regions, year=2030) -> list[list]:
    """Table 7 for ``year`` with only the given (factory) regions, their domestic total first."""
    values = [[index + 1, index + 2, index + 10] for index in range(len(regions))]
    total = [sum(column) for column in zip(*values, strict=True)]
    return [
        ["表 7 分地区国内商标申请、注册及有效注册年度状况"],
        ["单位：件"],
        ["地区", f"{year} 年", None, None],
        [None, "申请量", "注册量", "年末有效注册量"],
        ["国内总计", *total],
        *([region.name_zh, *row] for region, row in zip(regions, values, strict=True)),
    ]


def test_import_queries_do_not_grow_with_the_rows(django_assert_num_queries):
    """Creating 12 rows costs the same queries as creating 2: no query per row."""
    small = xlsx_bytes(("Sheet1", small_trademark_table(RegionFactory.create_batch(2))))
    with CaptureQueriesContext(connection) as queries:
        assert import_appendix(small, "small.xlsx").counts.created == 2
    # Another year: a printed 国内总计 is checked against every stored region of its year, the first two included.
    large = xlsx_bytes(("Sheet1", small_trademark_table(RegionFactory.create_batch(12), year=2031)))
    with django_assert_num_queries(len(queries)):
        assert import_appendix(large, "large.xlsx").counts.created == 12


def test_an_unchanged_reimport_costs_no_query_per_row(exported, tmp_path, report, django_assert_num_queries):
    """Re-importing the 12 tables with 20 more regions in table 7 costs the same queries as without them."""
    # The first write of the test's transaction also moves the published version (once per transaction,
    # core.caching); the counted imports come after it.
    assert import_appendix(exported.read_bytes(), exported.name).ok
    with CaptureQueriesContext(connection) as queries:
        assert import_appendix(exported.read_bytes(), exported.name).ok
    regions = RegionFactory.create_batch(20)

    def add_regions(rows):
        for region in regions:
            rows.append([region.name_zh, 1, 2, 3, 4, 5, 6])
        for year in (2024, 2025):
            for measure, value in (("申请量", 1), ("注册量", 2), ("年末有效注册量", 3)):
                add(rows, report[7], "国内总计", year, measure, 20 * (value if year == 2024 else value + 3))

    extended = tmp_path / "extended.xlsx"
    edit_table(exported, extended, 7, add_regions)
    assert import_appendix(extended.read_bytes(), extended.name).counts.created == 40
    with django_assert_num_queries(len(queries)):
        assert (
            import_appendix(extended.read_bytes(), extended.name).counts.unchanged
            == entity_count(*[report[number] for number in NUMBERS]) + 40
        )
