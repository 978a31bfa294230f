"""Files the importer must refuse, before anything is written, with every problem named where it was found.

Each bad file also holds a clean table, so that "nothing written" means the import was all or nothing, not merely
that the bad table was skipped. Messages are checked for a characteristic word in Chinese (the default) and in
English (``translation.override("en")``), never as whole sentences.
"""

import contextlib
import io
import random
import zipfile

import pytest
from django.utils import translation
from openpyxl.utils import get_column_letter

from core.problems import Location
from statistics import models
from statistics.imports import import_appendix

from .conftest import figure_counts
from .workbooks import (
    add,
    column_index,
    column_letter,
    csv_bytes,
    offset,
    printed_rows,
    put,
    row_number,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


SHEET = "数据"
ENGLISH = "en"
CHINESE = None  # the default language (zh-hans)


def history_counts() -> dict[str, int]:
    return {name: getattr(models, name).history.count() for name in figure_counts()}


def refuse(content: bytes, filename: str, language: str | None = CHINESE) -> list[tuple[Location, str]]:
    """Import ``content``; assert it was refused and nothing was written; return (location, text) per problem."""
    history = history_counts()
    with translation.override(language) if language else contextlib.nullcontext():
        outcome = import_appendix(content, filename)
        problems = [(problem.location, str(problem)) for problem in outcome.problems]
    assert not outcome.ok
    assert problems
    run = models.ImportRun.objects.get(pk=outcome.run.pk)
    assert run.status == models.ImportRun.Status.REFUSED
    assert (run.created, run.updated, run.unchanged) == (0, 0, 0)
    assert run.problems == [text for _location, text in problems]
    assert set(figure_counts().values()) == {0}, "a refused file wrote figures"
    assert history_counts() == history
    return problems


def beside_a_clean_table(report, rows, clean: int = 12) -> bytes:
    """A workbook whose first sheet holds a clean table (which must not be written either) and then ``rows``."""
    return xlsx_bytes(("干净", printed_rows(report[clean])), (SHEET, rows))


def problem_at(problems, location: Location) -> str:
    """The text of the one problem found at ``location``."""
    texts = [text for where, text in problems if where == location]
    assert len(texts) == 1, (location, problems)
    return texts[0]


BY_LANGUAGE = pytest.mark.parametrize("language", [CHINESE, ENGLISH], ids=["zh", "en"])


def word(language, chinese: str | None, english: str) -> str | None:
    return english if language == ENGLISH else chinese


# ---------------------------------------------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------------------------------------------


@BY_LANGUAGE
def test_an_unknown_region(report, no_figures, language):
    rows = [*printed_rows(report[7]), ["火星", 1, 1, 1, 1, 1, 1]]
    problems = refuse(beside_a_clean_table(report, rows), "bad.xlsx", language)
    assert [location for location, _text in problems] == [Location(SHEET, len(rows), "A")]
    text = problems[0][1]
    assert "火星" in text
    assert word(language, "未知的地区", "unknown region") in text


@BY_LANGUAGE
def test_an_unknown_country(report, no_figures, language):
    rows = [*printed_rows(report[8]), ["亚特兰蒂斯", 1, 1, 1, 1, 1, 1]]
    problems = refuse(beside_a_clean_table(report, rows), "bad.xlsx", language)
    assert [location for location, _text in problems] == [Location(SHEET, len(rows), "A")]
    text = problems[0][1]
    assert "亚特兰蒂斯" in text
    assert word(language, "未知的国家或地区", "unknown country or territory") in text


@BY_LANGUAGE
def test_a_duplicate_row(report, no_figures, language):
    """上海 twice (the second with zeros, so every total still adds up): the second row is named."""
    rows = [*printed_rows(report[7]), ["上海", 0, 0, 0, 0, 0, 0]]
    problems = refuse(beside_a_clean_table(report, rows), "bad.xlsx", language)
    assert [location for location, _text in problems] == [Location(SHEET, len(rows), "A")]
    text = problems[0][1]
    assert "上海" in text and str(row_number(rows, "上海")) in text
    assert word(language, "重复", "appears twice") in text


# ---------------------------------------------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------------------------------------------


@BY_LANGUAGE
def test_a_negative_value(report, no_figures, language):
    """北京 2025 申请量 −1, the domestic total lowered to match: only the negative cell is refused."""
    table = report[7]
    rows = printed_rows(table)
    printed = table.value("北京", 2025, "申请量")
    put(rows, table, "北京", 2025, "申请量", -1)
    add(rows, table, "国内总计", 2025, "申请量", -1 - printed)
    problems = refuse(beside_a_clean_table(report, rows), "bad.xlsx", language)
    location = Location(SHEET, row_number(rows, "北京"), column_letter(table, 2025, "申请量"))
    assert [where for where, _text in problems] == [location]
    assert word(language, "负数", "negative") in problems[0][1]


@BY_LANGUAGE
@pytest.mark.parametrize(
    ("value", "chinese", "english"),
    [
        ("三十九万", "不是数字", "not a number"),
        ("392200 件", "不是数字", "not a number"),
        ("n/a", "不是数字", "not a number"),
        ("392200.5", "不是数字", "not a number"),
        (392200.5, "不是整数", "not a whole number"),
    ],
)
def test_text_in_a_number_cell(report, no_figures, language, value, chinese, english):
    table = report[7]
    rows = printed_rows(table)
    put(rows, table, "北京", 2025, "申请量", value)
    problems = refuse(beside_a_clean_table(report, rows), "bad.xlsx", language)
    text = problem_at(problems, Location(SHEET, row_number(rows, "北京"), column_letter(table, 2025, "申请量")))
    assert str(value) in text
    assert word(language, chinese, english) in text


@BY_LANGUAGE
def test_an_empty_cell_in_a_data_row(report, no_figures, language):
    table = report[7]
    rows = printed_rows(table)
    put(rows, table, "北京", 2025, "申请量", None)
    problems = refuse(beside_a_clean_table(report, rows), "bad.xlsx", language)
    text = problem_at(problems, Location(SHEET, row_number(rows, "北京"), column_letter(table, 2025, "申请量")))
    assert word(language, "为空", "empty") in text


@pytest.mark.parametrize("value", ["三十九万", None])
def test_an_unreadable_cell_is_not_also_blamed_on_the_total(report, no_figures, value):
    """One unreadable cell is one problem: the domestic total, which is right, must not be reported as wrong.

    The reader already reports the cell (``TableRow.unreadable``); the totals check should leave out the sums that
    the unreadable cell is part of, the way the missing-cell check already does.
    """
    table = report[7]
    rows = printed_rows(table)
    put(rows, table, "北京", 2025, "申请量", value)
    problems = refuse(beside_a_clean_table(report, rows), "bad.xlsx")
    assert [location for location, _text in problems] == [
        Location(SHEET, row_number(rows, "北京"), column_letter(table, 2025, "申请量"))
    ]


# ---------------------------------------------------------------------------------------------------------------
# Totals
# ---------------------------------------------------------------------------------------------------------------


@BY_LANGUAGE
def test_a_row_total_that_is_not_the_sum_of_its_parts(report, no_figures, language):
    """北京 2025 合计 one more than 发明 + 实用新型 + 外观设计."""
    table = report[1]
    rows = printed_rows(table)
    add(rows, table, "北京", 2025, "合计", 1)
    problems = refuse(beside_a_clean_table(report, rows), "bad.xlsx", language)
    text = problem_at(problems, Location(SHEET, row_number(rows, "北京"), column_letter(table, 2025, "合计")))
    assert str(table.value("北京", 2025, "合计") + 1) in text
    assert str(table.value("北京", 2025, "合计")) in text
    assert word(language, "发明+实用新型+外观设计", "does not equal") in text


@BY_LANGUAGE
def test_a_domestic_total_that_is_not_the_sum_of_the_regions(report, no_figures, language):
    table = report[7]
    rows = printed_rows(table)
    add(rows, table, "国内总计", 2025, "注册量", 1)
    problems = refuse(beside_a_clean_table(report, rows), "bad.xlsx", language)
    location = Location(SHEET, row_number(rows, "国内总计"), column_letter(table, 2025, "注册量"))
    assert [where for where, _text in problems] == [location]
    assert str(table.value("国内总计", 2025, "注册量") + 1) in problems[0][1]
    assert word(language, "各省（区、市）之和", "province-level") in problems[0][1]


@BY_LANGUAGE
def test_a_foreign_total_that_is_not_the_sum_of_the_countries(report, no_figures, language):
    table = report[8]
    rows = printed_rows(table)
    add(rows, table, "国外在华总计", 2024, "申请量", -1)
    problems = refuse(beside_a_clean_table(report, rows), "bad.xlsx", language)
    location = Location(SHEET, row_number(rows, "国外在华总计"), column_letter(table, 2024, "申请量"))
    assert [where for where, _text in problems] == [location]
    assert word(language, "各国家和地区之和", "countries and territories") in problems[0][1]


@BY_LANGUAGE
@pytest.mark.parametrize("number", [9, 10, 11, 12])
def test_a_grand_total_that_is_not_domestic_plus_foreign(report, no_figures, language, number):
    table = report[number]
    measure = table.header[0][1]
    rows = printed_rows(table)
    add(rows, table, "合计", 2025, measure, 1)
    problems = refuse(beside_a_clean_table(report, rows, clean=7), "bad.xlsx", language)
    location = Location(SHEET, row_number(rows, "合计"), column_letter(table, 2025, measure))
    assert [where for where, _text in problems] == [location]
    assert word(language, "国内总计与国外在华总计之和", "domestic total plus the foreign total") in problems[0][1]


@BY_LANGUAGE
def test_a_city_larger_than_its_province(report, no_figures, language):
    """(深圳) 2025 发明 one more than 广东's (its row total raised to match; cities are not in the domestic total)."""
    table = report[1]
    rows = printed_rows(table)
    province = table.value("广东", 2025, "发明")
    delta = province + 1 - table.value("(深圳)", 2025, "发明")
    add(rows, table, "(深圳)", 2025, "发明", delta)
    add(rows, table, "(深圳)", 2025, "合计", delta)
    problems = refuse(beside_a_clean_table(report, rows), "bad.xlsx", language)
    assert len(problems) == 1
    location, text = problems[0]
    assert location.sheet == SHEET
    assert location.row in {row_number(rows, "广东"), row_number(rows, "(深圳)")}
    assert location.column == column_letter(table, 2025, "发明")
    assert "深圳" in text and "广东" in text
    cities = province + 1 + table.value("(广州)", 2025, "发明")  # 广东's "of which" rows: 广州 and 深圳
    assert str(cities) in text and str(province) in text
    assert word(language, "其中项", "of which") in text


# ---------------------------------------------------------------------------------------------------------------
# Several problems at once
# ---------------------------------------------------------------------------------------------------------------


def test_every_problem_is_reported_in_one_pass(report, no_figures):
    """Five problems in three tables over two sheets: all five are reported, each where it is."""
    trademarks, foreign, gi = report[7], report[8], report[9]
    domestic_rows = [*printed_rows(trademarks), ["火星", 1, 1, 1, 1, 1, 1], ["上海", 0, 0, 0, 0, 0, 0]]
    put(domestic_rows, trademarks, "北京", 2025, "申请量", -1)
    add(domestic_rows, trademarks, "国内总计", 2025, "申请量", -1 - trademarks.value("北京", 2025, "申请量"))
    foreign_rows = [*printed_rows(foreign), [], [], *printed_rows(gi)]
    foreign_rows.insert(len(printed_rows(foreign)), ["亚特兰蒂斯", 1, 1, 1, 1, 1, 1])
    add(foreign_rows, gi, "合计", 2024, gi.header[0][1], 1)
    content = xlsx_bytes(("国内", domestic_rows), ("干净", printed_rows(report[12])), ("国外", foreign_rows))
    problems = refuse(content, "many.xlsx")
    assert sorted((location.sheet, location.row, location.column) for location, _text in problems) == sorted(
        [
            ("国内", row_number(domestic_rows, "北京"), column_letter(trademarks, 2025, "申请量")),
            ("国内", row_number(domestic_rows, "火星"), "A"),
            ("国内", len(domestic_rows), "A"),
            ("国外", row_number(foreign_rows, "亚特兰蒂斯"), "A"),
            ("国外", row_number(foreign_rows, "合计"), column_letter(gi, 2024, gi.header[0][1])),
        ]
    )
    assert models.ImportRun.objects.latest("pk").rejected == 5


def test_locations_follow_a_table_that_starts_at_d5(report, no_figures):
    """Rows and columns are the sheet's own, not the table's: the name in column D, values from column E."""
    table = report[7]
    rows = [*printed_rows(table), ["火星", 1, 1, 1, 1, 1, 1]]
    put(rows, table, "北京", 2025, "申请量", "n/a")
    problems = refuse(xlsx_bytes((SHEET, offset(rows, down=4, right=3))), "d5.xlsx")
    beijing = Location(SHEET, row_number(rows, "北京") + 4, get_column_letter(column_index(table, 2025, "申请量") + 4))
    assert beijing.column == "H"
    mars = Location(SHEET, len(rows) + 4, "D")
    assert {location for location, _text in problems} == {beijing, mars}
    assert len(problems) == 2


# ---------------------------------------------------------------------------------------------------------------
# Files that are not appendix workbooks
# ---------------------------------------------------------------------------------------------------------------


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n%%EOF\n"
NOT_A_SPREADSHEET = ("不是电子表格", "not a spreadsheet")
NOT_SPREADSHEETS = {  # name: (file name, content, (Chinese, English) characteristic words)
    "a PDF": ("附录一.pdf", PDF, NOT_A_SPREADSHEET),
    "a PDF named .xlsx": ("附录一.xlsx", PDF, NOT_A_SPREADSHEET),
    "random bytes named .xlsx": ("附录一.xlsx", random.Random(7).randbytes(4096), NOT_A_SPREADSHEET),
    "an empty file": ("附录一.xlsx", b"", NOT_A_SPREADSHEET),
    "a damaged zip": ("附录一.xlsx", b"PK\x03\x04" + bytes(200), NOT_A_SPREADSHEET),
    "a zip that is no workbook": (
        "附录一.xlsx",
        zip_bytes({"readme.txt": b"hello"}),
        ("无法读取", "not a readable XLSX"),
    ),
}


@BY_LANGUAGE
@pytest.mark.parametrize("case", NOT_SPREADSHEETS, ids=list(NOT_SPREADSHEETS))
def test_a_file_that_is_not_a_spreadsheet(no_figures, language, case):
    filename, content, words = NOT_SPREADSHEETS[case]
    problems = refuse(content, filename, language)
    assert len(problems) == 1
    assert filename in problems[0][1]
    assert word(language, *words) in problems[0][1]
    assert word(language, f"文件“{filename}”", f"file “{filename}”") in problems[0][1]  # the file, not a sheet
    assert word(language, "工作表“", "sheet “") not in problems[0][1]


@BY_LANGUAGE
def test_a_workbook_without_an_appendix_table(no_figures, language):
    content = xlsx_bytes(("Sheet1", [["姓名", "年龄"], ["张三", 30]]), ("名单", [["北京", 1, 2, 3]]))
    problems = refuse(content, "people.xlsx", language)
    assert len(problems) == 1
    assert "Sheet1" in problems[0][1] and "名单" in problems[0][1]
    assert word(language, "没有找到附录统计表", "no appendix table") in problems[0][1]


@BY_LANGUAGE
def test_an_empty_csv_holds_no_appendix_table(no_figures, language):
    problems = refuse(b"", "表7.csv", language)
    assert len(problems) == 1
    assert word(language, "没有找到附录统计表", "no appendix table") in problems[0][1]


# ---------------------------------------------------------------------------------------------------------------
# Limits
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture
def unpacked(monkeypatch):
    """Every call that hands the file to openpyxl; refusals for size must come before any (the list stays empty)."""
    calls = []

    def load_workbook(*args, **kwargs):
        calls.append(args)
        raise RuntimeError("unpacked")

    monkeypatch.setattr("openpyxl.load_workbook", load_workbook)
    return calls


def test_the_unpacking_probe_sees_an_ordinary_workbook(report, no_figures, unpacked):
    """The probe above is not blind: an ordinary workbook does reach openpyxl."""
    import_appendix(xlsx_bytes(("Sheet1", printed_rows(report[7]))), "ordinary.xlsx")
    assert len(unpacked) == 1


@BY_LANGUAGE
def test_a_file_over_the_size_limit(report, no_figures, settings, unpacked, language):
    content = beside_a_clean_table(report, printed_rows(report[7]))
    settings.IMPORT_MAX_FILE_SIZE = len(content) - 1
    problems = refuse(content, "big.xlsx", language)
    assert len(problems) == 1
    text = problems[0][1]
    assert str(len(content)) in text and str(len(content) - 1) in text
    assert word(language, "字节的上限", "bytes") in text
    assert unpacked == []


def test_a_file_at_the_size_limit_is_read(report, no_figures, settings):
    content = xlsx_bytes(("Sheet1", printed_rows(report[7])))
    settings.IMPORT_MAX_FILE_SIZE = len(content)
    assert import_appendix(content, "exact.xlsx").ok


@BY_LANGUAGE
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_more_rows_than_the_limit(report, no_figures, settings, kind, language):
    rows = printed_rows(report[7])
    content = xlsx_bytes(("Sheet1", rows)) if kind == "xlsx" else csv_bytes(rows)
    settings.IMPORT_MAX_ROWS = len(rows) - 1
    problems = refuse(content, f"rows.{kind}", language)
    assert len(problems) == 1
    text = problems[0][1]
    assert str(len(rows)) in text and str(len(rows) - 1) in text
    assert word(language, "行的上限", "rows, more than the limit") in text


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_as_many_rows_as_the_limit_are_read(report, no_figures, settings, kind):
    rows = printed_rows(report[7])
    content = xlsx_bytes(("Sheet1", rows)) if kind == "xlsx" else csv_bytes(rows)
    settings.IMPORT_MAX_ROWS = len(rows)
    assert import_appendix(content, f"rows.{kind}").ok


def test_rows_are_counted_over_all_sheets(report, no_figures, settings):
    rows = printed_rows(report[7])
    content = xlsx_bytes(("Sheet1", rows), ("Sheet2", [["说明"]] * 10))
    settings.IMPORT_MAX_ROWS = len(rows) + 9
    with translation.override(ENGLISH):
        problems = refuse(content, "rows.xlsx")
    assert str(len(rows) + 10) in problems[0][1]


def zip_bomb(size: int) -> dict[str, bytes]:
    """The members of an XLSX-like zip whose one sheet is ``size`` zero bytes (it packs to about a thousandth)."""
    return {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
        "xl/workbook.xml": b'<?xml version="1.0"?><workbook/>',
        "xl/worksheets/sheet1.xml": bytes(size),
    }


@BY_LANGUAGE
def test_a_zip_bomb_is_refused_before_it_is_unpacked(no_figures, settings, unpacked, language):
    members = zip_bomb(20 * 1024 * 1024)
    content = zip_bytes(members)
    unpacked_size = sum(len(data) for data in members.values())
    assert len(content) < settings.IMPORT_MAX_FILE_SIZE
    assert unpacked_size > 10 * settings.IMPORT_MAX_COMPRESSION_RATIO * len(content)
    problems = refuse(content, "bomb.xlsx", language)
    assert len(problems) == 1
    text = problems[0][1]
    assert "bomb.xlsx" in text and str(unpacked_size) in text and str(len(content)) in text
    assert word(language, "解压", "unpacks") in text
    assert unpacked == []


def test_the_compression_ratio_is_a_setting(report, no_figures, settings, unpacked):
    """An ordinary workbook is refused once the ratio allowed is lower than its own."""
    content = xlsx_bytes(("Sheet1", printed_rows(report[7])))
    settings.IMPORT_MAX_COMPRESSION_RATIO = 1
    with translation.override(ENGLISH):
        problems = refuse(content, "ordinary.xlsx")
    assert "unpacks" in problems[0][1]
    assert unpacked == []


def test_an_uncompressed_size_over_the_absolute_limit(report, no_figures, settings, unpacked):
    content = xlsx_bytes(("Sheet1", printed_rows(report[7])))
    settings.IMPORT_MAX_UNCOMPRESSED_SIZE = len(content)
    with translation.override(ENGLISH):
        problems = refuse(content, "ordinary.xlsx")
    assert "unpacks" in problems[0][1]
    assert unpacked == []


def test_limits_are_checked_before_the_rows(report, no_figures, settings):
    """An oversize file with bad rows gets one problem, the size: the file is not read at all."""
    rows = [*printed_rows(report[7]), ["火星", 1, 1, 1, 1, 1, 1]]
    content = xlsx_bytes(("Sheet1", rows))
    settings.IMPORT_MAX_FILE_SIZE = 100
    problems = refuse(content, "big.xlsx")
    assert len(problems) == 1
    assert "火星" not in problems[0][1]


def test_a_refusal_leaves_stored_figures_untouched(report, count_figures):
    """In the full database too: a file whose only fault is in its last table changes no figure."""
    table = report[7]
    rows = printed_rows(table)
    put(rows, table, "北京", 2025, "申请量", 1)
    add(rows, table, "国内总计", 2025, "申请量", 1 - table.value("北京", 2025, "申请量"))
    rows.append(["火星", 1, 1, 1, 1, 1, 1])
    before = count_figures()
    history = history_counts()
    outcome = import_appendix(beside_a_clean_table(report, rows), "bad.xlsx")
    assert not outcome.ok
    assert count_figures() == before
    assert history_counts() == history
    stored = models.RegionTrademarkFigure.objects.get(region__name_zh="北京", year=2025)
    assert stored.applications == 392200
