"""``export_appendix``: one sheet per table, in the report's own layout, with plain numbers only."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from statistics.export import appendix_workbook

from .factories import FIGURE_FACTORIES, CountryFactory, CountryPatentFigureFactory

pytestmark = pytest.mark.django_db

NUMBERS = range(1, 13)


def blank_to_none(cells):
    return [cell if cell != "" else None for cell in cells]


def next_year(text: str) -> str:
    """The same heading one report year later: 2024 → 2025, 2025 → 2026."""
    return re.sub(r"\d{4}(?=\s*年)", lambda match: str(int(match.group()) + 1), text)


def sheet_rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture(scope="module")
def workbook_2025(django_db_setup, django_db_blocker, tmp_path_factory):
    """The 2025 workbook, exported once from the session's database (the export only reads)."""
    path = tmp_path_factory.mktemp("export") / "a.xlsx"
    with django_db_blocker.unblock():
        call_command("export_appendix", "--year", "2025", "--output", str(path))
    return load_workbook(path)


@pytest.fixture(scope="module")
def workbook_2026(django_db_setup, django_db_blocker, tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "b.xlsx"
    with django_db_blocker.unblock():
        call_command("export_appendix", "--year", "2026", "--output", str(path))
    return load_workbook(path)


def test_workbook_has_twelve_sheets(workbook_2025):
    """One sheet per appendix table, in table order."""
    assert len(workbook_2025.worksheets) == 12
    titles = [sheet["A1"].value for sheet in workbook_2025.worksheets]
    assert [int(title.split()[1]) for title in titles] == list(NUMBERS)


@pytest.mark.parametrize("number", NUMBERS)
def test_sheet_title_unit_and_header_are_the_report_ones(workbook_2025, report, number):
    """Title line, unit line and the two-level header equal the report's (e.g. 截至 2024 年年底 in table 5)."""
    table = report[number]
    rows = sheet_rows(workbook_2025.worksheets[number - 1])
    assert rows[0][0] == table.title
    assert rows[1][0] == table.unit == "单位：件"
    assert rows[2] == blank_to_none(table.header[0])
    assert rows[3] == blank_to_none(table.header[1])


def test_titles_and_year_headers_spot_checks(workbook_2025):
    """The wording quoted from the report: table 1's title with its years, table 5's year-end headers."""
    table_1, table_5, table_9 = (workbook_2025.worksheets[index] for index in (0, 4, 8))
    assert table_1["A1"].value == "表 1 分地区国内专利申请年度状况（2024 年、2025 年）"
    assert table_5["A1"].value == "表 5 分地区国内有效专利状况"
    assert [table_5["B3"].value, table_5["F3"].value] == ["截至 2024 年年底", "截至 2025 年年底"]
    assert [table_9["B3"].value, table_9["B4"].value, table_9["C4"].value] == ["年末累计批准数量", "2024 年", "2025 年"]


@pytest.mark.parametrize("number", NUMBERS)
def test_every_data_row_equals_the_report_in_the_report_order(workbook_2025, report, number):
    """Every data row (label and values, totals rows included) equals the printed row, in the printed order."""
    rows = sheet_rows(workbook_2025.worksheets[number - 1])[4:]
    assert rows == [[row.label, *row.values] for row in report[number].rows]


def test_row_order_spot_checks(workbook_2025):
    """Domestic total first, cities and the XPCC after the regions; tables 9–12 open with 合计 then 国内总计."""
    table_1 = [row[0] for row in sheet_rows(workbook_2025.worksheets[0])[4:]]
    assert table_1[:2] == ["国内总计", "北京"]
    assert table_1[34] == "澳门"
    assert table_1[35] == "(沈阳)"
    assert table_1[-1] == "(新疆生产建设兵团)"
    table_9 = [row[0] for row in sheet_rows(workbook_2025.worksheets[8])[4:]]
    assert table_9[:3] == ["合计", "国内总计", "北京"]
    assert table_9[table_9.index("国外在华总计") - 1] == "澳门"
    assert table_9[table_9.index("国外在华总计") + 1] == "西班牙"


def test_anchor_values_in_the_workbook(workbook_2025):
    """Spot values quoted from the report."""
    table_1 = {row[0]: row[1:] for row in sheet_rows(workbook_2025.worksheets[0])[4:]}
    assert table_1["国内总计"][4] == 5149772
    assert table_1["北京"][5] == 217495
    table_8 = {row[0]: row[1:] for row in sheet_rows(workbook_2025.worksheets[7])[4:]}
    assert table_8["其他"][5] == 6267
    table_9 = {row[0]: row[1:] for row in sheet_rows(workbook_2025.worksheets[8])[4:]}
    assert table_9["合计"][1] == 5066


def test_no_cell_holds_a_formula(workbook_2025):
    """Cells hold plain values: no formula, so totals cannot drift from what the report prints."""
    for sheet in workbook_2025.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                assert not (isinstance(cell.value, str) and cell.value.startswith("=")), (sheet.title, cell.coordinate)


@pytest.mark.parametrize("number", NUMBERS)
def test_a_year_without_figures_shows_empty_columns(workbook_2026, report, number):
    """``--year 2026`` shows 2025 and 2026: the 2025 cells as printed, every 2026 cell empty."""
    table = report[number]
    rows = sheet_rows(workbook_2026.worksheets[number - 1])
    assert rows[0][0] == next_year(table.title)
    assert rows[2:4] == [blank_to_none([next_year(cell) for cell in line]) for line in table.header]
    columns_2025 = [index for index, (year, _measure) in enumerate(table.columns) if year == 2025]
    width = len(columns_2025)
    data = rows[4:]
    assert [row[0] for row in data] == [row.label for row in table.rows]
    for sheet_row, printed in zip(data, table.rows, strict=True):
        assert sheet_row[1 : 1 + width] == [printed.values[index] for index in columns_2025]
        assert sheet_row[1 + width :] == [None] * width


def test_output_must_be_an_xlsx_file(tmp_path):
    """A path that is not .xlsx is refused with a CommandError, and nothing is written."""
    target = tmp_path / "a.csv"
    with pytest.raises(CommandError):
        call_command("export_appendix", "--year", "2025", "--output", str(target))
    assert not target.exists()


@pytest.mark.parametrize("year", ["1899", "2201"])
def test_an_implausible_year_is_refused(tmp_path, year):
    """``--year`` outside any plausible report year is refused with a CommandError."""
    target = tmp_path / "a.xlsx"
    with pytest.raises(CommandError):
        call_command("export_appendix", "--year", year, "--output", str(target))
    assert not target.exists()


@pytest.mark.parametrize("name", ["=1+1", "+1", "-1", "@SUM(A1)"])
def test_a_label_that_looks_like_a_formula_is_written_as_text(tmp_path, name):
    """Formula injection: a country whose name starts with = + - @ is written as plain text, never as a formula."""
    country = CountryFactory(name_zh=name)
    CountryPatentFigureFactory(country=country, year=2025, measure="granted")
    path = tmp_path / "a.xlsx"
    call_command("export_appendix", "--year", "2025", "--output", str(path))
    sheet = load_workbook(path).worksheets[3]
    cells = [row[0] for row in sheet.iter_rows(min_row=5) if name in str(row[0].value)]
    assert len(cells) == 1
    assert cells[0].data_type != "f"
    assert not str(cells[0].value).startswith(("=", "+", "-", "@"))


def test_export_query_count_does_not_grow_with_the_rows(django_assert_num_queries):
    """The workbook costs the same number of queries with 20 more rows in every figures model (no per-row query)."""
    with CaptureQueriesContext(connection) as before:
        appendix_workbook(2025)
    for model, factory in FIGURE_FACTORIES.items():
        extra = {"measure": "filed"} if model.__name__.endswith("PatentFigure") else {}
        factory.create_batch(20, year=2025, **extra)
    with django_assert_num_queries(len(before)):
        appendix_workbook(2025)
