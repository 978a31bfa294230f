"""The chapter tables (专利复审, 无效宣告, 商标评审, 商标审查审理周期): in the product cell for cell, under the rules.

Expected cells come from the report's text, read by the small parser below: it is written apart from
``scripts/extract_chapter_tables.py`` and from ``statistics/chapter_*``, so a mistake there cannot hide in the
expectations. It knows only what the text shows: outside 附录一, a table is a run of tab-separated lines whose
first line is a header and whose other lines end in numbers.
"""

import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import Workbook, load_workbook

from statistics.chapter_services import chapter_table_from_database, load_chapter_figures
from statistics.chapter_tables import TABLES
from statistics.export import appendix_workbook, write_chapter_table
from statistics.fixture_loading import FixtureLoad
from statistics.imports import import_appendix
from statistics.models import ChapterFigure
from statistics.tests.conftest import REPORT_TEXT

pytestmark = pytest.mark.django_db


def printed_chapter_tables() -> list[dict]:
    """[{"header": [...], "rows": [(label, [numbers as text])]}] in the report's order."""
    tables, block = [], None
    for line in REPORT_TEXT.read_text(encoding="utf-8").splitlines():
        if line.startswith("## 附录一"):
            break
        cells = [re.sub(r"</?b>", "", cell).strip() for cell in line.split("\t")] if "\t" in line else None
        if cells is None:
            block = None
            continue
        if block is None:
            block = {"header": cells, "rows": []}
            tables.append(block)
        else:
            block["rows"].append((cells[0], cells[1:]))
    return [
        table
        for table in tables
        if table["rows"]
        and all(re.fullmatch(r"\d+(\.\d+)?", value) for _label, values in table["rows"] for value in values)
    ]


def printed_years(header: list[str]) -> list[int]:
    years = [int(match.group(1)) for cell in header if (match := re.fullmatch(r"(\d{4})\s*年", cell))]
    return years or [2025]  # the cycle table prints no year; the prose says 2025 (“稳定在 4 个月” …)


def test_the_report_prints_five_chapter_tables_of_65_cells():
    tables = printed_chapter_tables()
    assert len(tables) == 5
    assert sum(len(values) for table in tables for _label, values in table["rows"]) == 65


def test_every_printed_cell_is_in_the_product():
    """Each printed table against the product's table of the same first row, row for row, cell for cell; totals
    are derived from the stored parts, so this also shows that the stored parts add up to every printed total."""
    printed = printed_chapter_tables()
    product = [chapter_table_from_database(table, 2025) for table in TABLES.values()]
    assert len(product) == len(printed)
    compared = 0
    for expected, data in zip(printed, product, strict=True):
        assert data.years == printed_years(expected["header"])
        assert [re.sub(r"\s", "", label) for label, _values in expected["rows"]] == [
            re.sub(r"\s", "", row.label) for row in data.rows
        ]
        for (label, values), row in zip(expected["rows"], data.rows, strict=True):
            for year, value in zip(data.years, values, strict=True):
                assert row.values[year] == Decimal(value), (data.table.title, label, year)
                compared += 1
    assert compared == 65


def test_only_the_parts_are_stored_totals_are_derived():
    stored_rows = {(figure.table, figure.row) for figure in ChapterFigure.objects.all()}
    assert ("patent_reexamination", "requests") not in stored_rows
    assert ("trademark_review_requests", "requests_complex") not in stored_rows
    assert ChapterFigure.objects.count() == 12 + 12 + 10 + 10 + 5


def chapter_workbook(year: int = 2025) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in TABLES.values():
        write_chapter_table(workbook.create_sheet(table.title[:31]), chapter_table_from_database(table, year), year)
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cell_of(sheet, label: str, nth: int = 1):
    """The row of the nth row labelled ``label`` (labels repeat: “(1) 发明专利” under requests and decisions)."""
    found = [row for row in sheet.iter_rows(min_row=4) if row[0].value == label]
    return found[nth - 1]


def test_the_exported_chapter_tables_import_back_unchanged():
    outcome = import_appendix(workbook_bytes(chapter_workbook()), "chapter.xlsx")
    assert outcome.problems == []
    counts = outcome.chapter_counts
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 49)
    assert outcome.run.unchanged == 49  # the run records the chapter cells too


def test_the_export_writes_the_chapter_tables_after_the_appendix(tmp_path):
    assert len(appendix_workbook(2025).sheetnames) == 12  # the appendix alone, unless asked
    path = tmp_path / "with-chapters.xlsx"
    call_command(
        "export_appendix", "--year", "2025", "--output", str(path), "--with-chapter-tables", stdout=io.StringIO()
    )
    workbook = load_workbook(path)
    assert workbook.sheetnames[12:] == [table.title for table in TABLES.values()]
    sheet = workbook["专利复审请求和结案情况"]
    assert [cell.value for cell in sheet[3]] == ["类型", "2024年", "2025年"]
    assert [cell.value for cell in sheet[4]] == ["复审请求", 97141, 112837]
    cycles = workbook["商标审查审理周期"]
    assert cycles["A1"].value == "商标审查审理周期（2025 年）"
    assert [cell.value for cell in cycles[7]] == ["商标驳回复审平均审理周期", 5.5]


def test_a_wrong_total_is_refused_through_the_import_and_nothing_is_written():
    workbook = chapter_workbook()
    sheet = workbook["无效宣告请求和结案情况"]
    total = cell_of(sheet, "无效宣告结案")
    total[2].value = 9999  # 2025: printed 9561
    invention = cell_of(sheet, "(1) 发明专利", nth=2)
    invention[1].value = 1  # 2024 invalidation decisions: printed 1882, so the 2024 total no longer adds up either
    before = list(ChapterFigure.objects.values_list("table", "row", "year", "value"))
    outcome = import_appendix(workbook_bytes(workbook), "wrong-total.xlsx")
    messages = [str(problem) for problem in outcome.problems]
    assert any(
        "无效宣告结案 2025 年" in message and "9999" in message and "9561" in message and "C" in message
        for message in messages
    ), messages
    assert any("无效宣告结案 2024 年" in message and "9479" in message for message in messages), messages
    assert outcome.run.status == "refused"
    assert list(ChapterFigure.objects.values_list("table", "row", "year", "value")) == before


def test_a_negative_value_is_refused_through_the_import_and_nothing_is_written():
    workbook = chapter_workbook()
    sheet = workbook["商标评审裁定情况"]
    row = cell_of(sheet, "(4) 其他")
    row[2].value = -50
    cell_of(sheet, "复杂案件")[2].value = 96011 - 100  # keeps the totals consistent with the negative part
    cell_of(sheet, "商标评审裁定")[2].value = 384126 - 100
    with translation.override("en"):
        outcome = import_appendix(workbook_bytes(workbook), "negative.xlsx")
    messages = [str(problem) for problem in outcome.problems]
    assert any("(4) 其他 2025 年" in message and "-50" in message and "negative" in message for message in messages), (
        messages
    )
    assert ChapterFigure.objects.get(table="trademark_review_rulings", row="rulings_other", year=2025).value == 50


def test_an_unknown_row_and_a_fractional_count_are_refused_with_where():
    workbook = chapter_workbook()
    sheet = workbook["商标评审请求情况"]
    cell_of(sheet, "驳回复审")[0].value = "驳回"
    sheet2 = workbook["专利复审请求和结案情况"]
    cell_of(sheet2, "(3) 外观设计专利")[1].value = "1357.5"
    with translation.override("en"):
        outcome = import_appendix(workbook_bytes(workbook), "bad.xlsx")
    messages = [str(problem) for problem in outcome.problems]
    assert any("驳回" in message and "商标评审请求情况" in message for message in messages), messages
    assert any("1357.5" in message and "whole" in message for message in messages), messages


def test_the_loader_creates_what_is_missing_and_keeps_a_changed_value():
    figure = ChapterFigure.objects.get(table="patent_reexamination", row="requests_design", year=2025)
    figure.value = 2000
    figure.save()
    ChapterFigure.objects.filter(table="trademark_cycles").delete()
    load = FixtureLoad()
    counts = load_chapter_figures(load=load)
    assert counts.created == 5
    figure.refresh_from_db()
    assert figure.value == 2000
    assert [(d.what, d.entity, d.year, d.stored, d.fixture) for d in load.kept] == [
        ("专利复审请求和结案情况", "(3) 外观设计专利", 2025, 2000, 1943)
    ]
    forced = FixtureLoad(force=True)
    load_chapter_figures(load=forced)
    figure.refresh_from_db()
    assert figure.value == 1943


def test_a_cell_saved_alone_is_checked():
    from django.core.exceptions import ValidationError

    with translation.override("en"):
        with pytest.raises(ValidationError, match="negative"):
            ChapterFigure(table="patent_invalidation", row="requests_design", year=2023, value=-1).save()
        with pytest.raises(ValidationError, match="derived"):
            ChapterFigure(table="patent_invalidation", row="requests", year=2023, value=1).save()
        with pytest.raises(ValidationError, match="whole"):
            ChapterFigure(table="patent_invalidation", row="requests_design", year=2023, value=Decimal("1.5")).save()


def test_the_fixture_is_what_the_extraction_script_writes(tmp_path):
    """``fixtures/chapter_tables.csv`` can be regenerated from the report's text, byte for byte."""
    import subprocess
    import sys

    output = tmp_path / "chapter_tables.csv"
    subprocess.run(
        [
            sys.executable,
            str(REPORT_TEXT.parents[2] / "scripts" / "extract_chapter_tables.py"),
            str(REPORT_TEXT),
            output,
        ],
        check=True,
        capture_output=True,
    )
    assert output.read_bytes() == (REPORT_TEXT.parents[2] / "fixtures" / "chapter_tables.csv").read_bytes()
