"""The report itself: the design's facts hold on the printed tables, and the fixture holds every printed cell.

These tests need no database. They prove, on the source, the rules the application enforces (see
``../shared/design.md``): the domestic total is the sum of the 34 province-level rows (the parenthesized "of which"
rows are not added in), the foreign total is the sum of the countries, the grand total is domestic plus foreign,
and a patent row's total is invention + utility model + design.
"""

import csv
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings

APPENDIX_CSV = Path(settings.BASE_DIR) / "fixtures" / "appendix.csv"
DOMESTIC_TOTAL, FOREIGN_TOTAL, GRAND_TOTAL = "国内总计", "国外在华总计", "合计"

TABLES = range(1, 13)
PATENT_TABLES = range(1, 7)


def column_sums(rows, width):
    return tuple(sum(row.values[index] for row in rows) for index in range(width))


def test_the_parser_reads_the_known_anchor_cells(report):
    """The independent parser finds the figures quoted from the report."""
    assert report[1].value(DOMESTIC_TOTAL, 2025, "合计") == 5149772
    assert report[1].value("北京", 2025, "发明") == 217495
    assert report[9].value(GRAND_TOTAL, 2025, "年末累计批准数量") == 5066
    assert report[8].value("其他", 2025, "年末有效注册量") == 6267


def test_the_appendix_has_twelve_tables_with_two_years(report):
    """Tables 1–12 are all found, each with a title, the unit line and the years 2024 and 2025."""
    assert sorted(report.tables) == list(TABLES)
    for table in report.tables.values():
        assert table.title.startswith(f"表 {table.number} ")
        assert table.unit == "单位：件"
        assert table.years == [2024, 2025]
        assert table.rows


@pytest.mark.parametrize("number", [1, 3, 5, 7, 9, 10, 11, 12])
def test_source_domestic_total_is_the_sum_of_the_34_province_level_rows(report, number):
    """国内总计 = the 34 province-level rows; the parenthesized cities and the XPCC are not added in."""
    table = report[number]
    provinces = table.province_rows()
    assert len(provinces) == 34
    assert {"台湾", "香港", "澳门"} <= {row.label for row in provinces}
    width = len(table.columns)
    assert column_sums(provinces, width) == table.row(DOMESTIC_TOTAL).values
    if table.of_which_rows():
        with_parts = column_sums(provinces + table.of_which_rows(), width)
        assert with_parts != table.row(DOMESTIC_TOTAL).values


@pytest.mark.parametrize("number", [2, 4, 6, 8, 9, 10, 11, 12])
def test_source_foreign_total_is_the_sum_of_the_countries(report, number):
    """国外在华总计 = the sum of the country rows."""
    table = report[number]
    assert table.foreign_rows()
    assert column_sums(table.foreign_rows(), len(table.columns)) == table.row(FOREIGN_TOTAL).values


@pytest.mark.parametrize("number", [9, 10, 11, 12])
def test_source_grand_total_is_domestic_plus_foreign(report, number):
    """合计 = 国内总计 + 国外在华总计 (tables 9–12, the only ones with both blocks)."""
    table = report[number]
    domestic, foreign = table.row(DOMESTIC_TOTAL).values, table.row(FOREIGN_TOTAL).values
    assert table.row(GRAND_TOTAL).values == tuple(a + b for a, b in zip(domestic, foreign, strict=True))


@pytest.mark.parametrize("number", PATENT_TABLES)
def test_source_patent_row_total_is_invention_plus_utility_model_plus_design(report, number):
    """Every patent row, totals rows included: 合计 = 发明 + 实用新型 + 外观设计."""
    table = report[number]
    for row in table.rows:
        cells = table.cells(row.label)
        for year in table.years:
            assert (
                cells[(year, "合计")] == cells[(year, "发明")] + cells[(year, "实用新型")] + cells[(year, "外观设计")]
            )


@pytest.mark.parametrize("number", [1, 3, 5, 7])
def test_source_of_which_rows_fit_inside_their_province(report, number):
    """Each parenthesized row is part of a printed province and never exceeds it (checked by name)."""
    parents = {"沈阳": "辽宁", "大连": "辽宁", "长春": "吉林", "哈尔滨": "黑龙江", "南京": "江苏", "杭州": "浙江",
               "宁波": "浙江", "厦门": "福建", "济南": "山东", "青岛": "山东", "武汉": "湖北", "广州": "广东",
               "深圳": "广东", "成都": "四川", "西安": "陕西", "新疆生产建设兵团": "新疆"}  # fmt: skip
    table = report[number]
    parts = defaultdict(list)
    for row in table.of_which_rows():
        parts[parents[row.label[1:-1]]].append(row)
    for province, rows in parts.items():
        province_values = table.row(province).values
        for index, part_sum in enumerate(column_sums(rows, len(table.columns))):
            assert part_sum <= province_values[index], (number, province, table.columns[index])


def test_table_7_has_no_xpcc_row(report):
    """design.md: table 7 has no XPCC row; tables 1, 3 and 5 have one."""
    assert "(新疆生产建设兵团)" not in {row.label for row in report[7].rows}
    for number in (1, 3, 5):
        assert report[number].rows[-1].label == "(新疆生产建设兵团)"


def test_fixture_holds_every_printed_cell_of_the_report(report):
    """``fixtures/appendix.csv`` is exactly the report's printed cells, row by row, with the printed labels."""
    with APPENDIX_CSV.open(encoding="utf-8", newline="") as handle:
        fixture = list(csv.DictReader(handle))
    expected = [
        (table.number, row_number, row.label, year, code, value)
        for table in report.tables.values()
        for row_number, row in enumerate(table.rows, start=1)
        for (year, code), value in table.keyed(row).items()
    ]
    stored = [
        (int(cell["table"]), int(cell["row"]), cell["label"], int(cell["year"]), cell["measure"], int(cell["value"]))
        for cell in fixture
    ]
    assert stored == expected
