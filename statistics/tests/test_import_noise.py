"""What a person typing a table by hand produces: each kind of noise alone, each imported with the report's figures.

Every test starts from a table as the report prints it (``workbooks.printed_rows``), adds one kind of noise, imports
it into a database holding reference data only, and compares every stored figure with the report.
"""

import io

import pytest
from openpyxl import load_workbook

from statistics import models
from statistics.imports import import_appendix

from .workbooks import (
    FULL_WIDTH_DIGITS,
    csv_bytes,
    entity_count,
    expected_cells,
    find_row,
    float_cells,
    map_labels,
    map_numbers,
    offset,
    printed_rows,
    stored_cells,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def trademarks(report):
    """Table 7: 34 regions and 15 cities, three measures over two years."""
    return report[7]


@pytest.fixture
def patents(report):
    """Table 1: row totals, cities and the XPCC."""
    return report[1]


def assert_imports(content: bytes, filename: str, *tables) -> None:
    """The file imports without a problem and the database then holds exactly the report's figures."""
    outcome = import_appendix(content, filename)
    assert outcome.ok, [str(problem) for problem in outcome.problems]
    assert outcome.counts.created == entity_count(*tables)
    for table in tables:
        assert stored_cells(table) == expected_cells(table), f"表 {table.number}"


def beijing_applications_2025() -> int:
    return models.RegionTrademarkFigure.objects.get(region__name_zh="北京", year=2025).applications


def domestic_filings_2025() -> int:
    """Table 1's 国内总计 2025 合计, recomputed from the stored province rows."""
    filed = models.RegionPatentFigure.objects.filter(year=2025, measure="filed", region__level="province")
    return sum(figure.total for figure in filed)


def test_numbers_stored_as_text(trademarks, no_figures):
    rows = map_numbers(printed_rows(trademarks), str)
    assert find_text(rows, "392200")
    assert_imports(xlsx_bytes(("Sheet1", rows)), "text.xlsx", trademarks)
    assert beijing_applications_2025() == 392200


def test_thousands_separators(trademarks, no_figures):
    rows = map_numbers(printed_rows(trademarks), lambda value: f"{value:,}")
    assert find_text(rows, "392,200")
    assert_imports(xlsx_bytes(("Sheet1", rows)), "commas.xlsx", trademarks)
    assert beijing_applications_2025() == 392200


def test_full_width_thousands_separators(trademarks, no_figures):
    rows = map_numbers(printed_rows(trademarks), lambda value: f"{value:,}".replace(",", "，"))
    assert find_text(rows, "6，768，124")
    assert_imports(xlsx_bytes(("Sheet1", rows)), "commas.xlsx", trademarks)
    assert beijing_applications_2025() == 392200


def test_full_width_digits(trademarks, no_figures):
    rows = map_numbers(printed_rows(trademarks), lambda value: str(value).translate(FULL_WIDTH_DIGITS))
    assert find_text(rows, "２３７５６２")  # 河北 2025 申请量
    assert_imports(xlsx_bytes(("Sheet1", rows)), "digits.xlsx", trademarks)
    assert beijing_applications_2025() == 392200


def test_full_width_parentheses(patents, no_figures):
    rows = map_labels(printed_rows(patents), lambda label: label.replace("(", "（").replace(")", "）"))
    assert find_text(rows, "（深圳）")
    assert find_text(rows, "（新疆生产建设兵团）")
    assert_imports(xlsx_bytes(("Sheet1", rows)), "parentheses.xlsx", patents)
    assert domestic_filings_2025() == 5149772


def test_names_padded_with_full_width_spaces(trademarks, no_figures):
    rows = map_labels(printed_rows(trademarks), lambda label: "　" + "　".join(label) + "　")
    assert find_text(rows, "　北　京　")
    assert find_text(rows, "　国　内　总　计　")
    assert_imports(xlsx_bytes(("Sheet1", rows)), "spaces.xlsx", trademarks)
    assert beijing_applications_2025() == 392200


def test_blank_rows_inside_the_table(trademarks, no_figures):
    """Empty lines and lines holding only spaces between the header and the rows and among the rows."""
    rows = printed_rows(trademarks)
    noisy = [*rows[:4], []]
    for index, row in enumerate(rows[4:]):
        noisy.append(row)
        if index % 5 == 4:
            noisy += [[], [" ", None, "　"]]
    assert_imports(xlsx_bytes(("Sheet1", noisy)), "blank.xlsx", trademarks)


def test_a_trailing_note(trademarks, no_figures):
    """Lines after ``注：`` are the note, not rows, even when they hold names and numbers."""
    rows = [
        *printed_rows(trademarks),
        [],
        ["注：1. 本表数据为初步统计数。"],
        ["2. 北京 2025 年数据含补报 1,000 件。"],
        ["北京", "见上"],
    ]
    assert_imports(xlsx_bytes(("Sheet1", rows)), "note.xlsx", trademarks)


def test_a_table_continued_under_a_repeated_header(trademarks, no_figures):
    """The report's own layout: ``(续表)`` then the two header lines again, then the remaining rows."""
    rows = printed_rows(trademarks)
    middle = 4 + len(trademarks.rows) // 2
    continued = [*rows[:middle], [], ["(续表)"], [], *rows[2:4], *rows[middle:]]
    assert continued.count(rows[2]) == 2
    assert_imports(xlsx_bytes(("Sheet1", continued)), "continued.xlsx", trademarks)


def test_a_table_continued_twice_with_full_width_marks(report, no_figures):
    table = report[8]  # 200 country rows, printed over eight pages
    rows = printed_rows(table)
    continued = rows[:4]
    for start in range(4, len(rows), 60):
        if start > 4:
            continued += [["（续表）"], *rows[2:4]]
        continued += rows[start : start + 60]
    assert_imports(xlsx_bytes(("Sheet1", continued)), "continued.xlsx", table)


def test_a_continuation_that_repeats_the_title(trademarks, no_figures):
    """Some people repeat the title on the continued part (``表 7 …（续表）``); it continues the same table."""
    rows = printed_rows(trademarks)
    middle = 4 + len(trademarks.rows) // 2
    title = f"{rows[0][0]}（续表）"
    continued = [*rows[:middle], [], [title], [], *rows[2:4], *rows[middle:]]
    assert_imports(xlsx_bytes(("Sheet1", continued)), "continued.xlsx", trademarks)


def test_a_table_starting_in_column_c(patents, no_figures):
    rows = offset(printed_rows(patents), right=2)
    assert_imports(xlsx_bytes(("Sheet1", rows)), "column_c.xlsx", patents)
    assert domestic_filings_2025() == 5149772


def test_csv_in_utf8_with_bom(trademarks, no_figures):
    content = csv_bytes(printed_rows(trademarks), "utf-8-sig")
    assert content.startswith(b"\xef\xbb\xbf")
    assert_imports(content, "表7.csv", trademarks)
    assert beijing_applications_2025() == 392200


def test_csv_in_gb18030(trademarks, no_figures):
    """What Excel on a Chinese system saves: GB18030, which is not valid UTF-8."""
    content = csv_bytes(printed_rows(trademarks), "gb18030")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    assert_imports(content, "表7.csv", trademarks)
    assert beijing_applications_2025() == 392200


def test_csv_with_quoted_thousands_separators(trademarks, no_figures):
    content = csv_bytes(map_numbers(printed_rows(trademarks), lambda value: f"{value:,}"))
    assert b'"392,200"' in content
    assert_imports(content, "表7.csv", trademarks)
    assert beijing_applications_2025() == 392200


def test_float_cells(trademarks, no_figures):
    """Numbers stored as floats (392200.0), the way some tools save whole numbers."""
    content = float_cells(xlsx_bytes(("Sheet1", printed_rows(trademarks))))
    values = [row for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]
    beijing = find_row(values, "北京")
    assert 392200 in beijing and all(isinstance(value, float) for value in beijing[1:])
    assert_imports(content, "floats.xlsx", trademarks)
    assert beijing_applications_2025() == 392200


def test_numbers_typed_with_a_decimal_zero(trademarks, no_figures):
    rows = map_numbers(printed_rows(trademarks), lambda value: f"{value}.0")
    assert find_text(rows, "392200.0")
    assert_imports(xlsx_bytes(("Sheet1", rows)), "decimal.xlsx", trademarks)
    assert beijing_applications_2025() == 392200


def find_text(rows, text: str) -> bool:
    """The noise really is in the file (guards each test against a builder that silently does nothing)."""
    return any(isinstance(cell, str) and text in cell for row in rows for cell in row)


def test_a_table_continued_on_the_next_sheet(trademarks, no_figures):
    """The first rows on one sheet, the rest on the next under ``表 7 …（续表）`` and the header again."""
    rows = printed_rows(trademarks)
    middle = 4 + len(trademarks.rows) // 2
    second = [[f"{rows[0][0]}（续表）"], *rows[2:4], *rows[middle:]]
    assert_imports(xlsx_bytes(("第一页", rows[:middle]), ("第二页", second)), "two-sheets.xlsx", trademarks)
