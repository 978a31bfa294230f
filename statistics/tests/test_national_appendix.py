"""National figures the appendix holds are linked to it, never stored twice, and the two agree (issue 17, item 2).

The expected totals come from the report's printed appendix tables, read by the suite's own parser
(``conftest.Report``), not from the application: 授权发明专利 97.2 万件 is 表 3's domestic total plus 表 4's foreign
total of invention patents, 902,700 + 69,230 = 971,930, which rounds to 97.2 万件. Where the prose and the appendix
disagree (new GI collective and certification marks: 51 in the prose, +23 in 表 10) both are shown with a note.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from statistics import selectors
from statistics.models.national import NationalFigure

pytestmark = pytest.mark.django_db

SCALE = {"件": 1, "个": 1, "万件": 10000}


def printed_total(report, table: int, column: str, scope: str, year: int) -> int:
    """The appendix total as the report prints it: domestic (国内总计), foreign (国外在华总计) or both."""
    domestic_table, foreign_table = (table, table + 1) if table <= 8 else (table, table)
    parts = []
    if scope in ("domestic", "grand"):
        parts.append(cell(report[domestic_table], "国内总计", year, column))
    if scope in ("foreign", "grand"):
        parts.append(cell(report[foreign_table], "国外在华总计", year, column))
    return sum(parts)


def cell(table, label: str, year: int, code: str) -> int:
    return table.keyed(table.row(label))[(year, code)]


def decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def at_precision(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def held_figures():
    return list(
        NationalFigure.objects.filter(national_return=None, series__appendix_relation="held").select_related("series")
    )


def test_the_reports_totals_are_linked_not_stored():
    figures = held_figures()
    names = {figure.series.name_zh for figure in figures}
    assert {"授权发明专利", "商标注册量", "有效注册商标量", "累计认定地理标志产品", "集成电路布图设计登记申请"} <= names
    assert all(figure.value is None for figure in figures)


def test_each_linked_figure_agrees_with_the_appendix_at_the_prose_precision(report):
    reader = selectors.FigureReader()
    for figure in held_figures():
        series = figure.series
        printed_value = Decimal(_number(figure.printed))
        total = Decimal(
            printed_total(report, series.appendix_table, series.appendix_column, series.appendix_scope, figure.year)
        )
        in_unit = total / SCALE[series.unit]
        assert reader.value_of(figure)[0] == in_unit, f"{series}: the application derives another total"
        if figure.bound == "exact":
            assert at_precision(in_unit, decimals(_number(figure.printed))) == printed_value, (series, figure.year)
        elif figure.bound == "more_than":
            assert in_unit > printed_value, (series, figure.year)


def test_printed_changes_agree_with_the_changes_derived_from_the_appendix(report):
    reader = selectors.FigureReader()
    checked = 0
    for figure in held_figures():
        if figure.change_kind != "percent":
            continue
        series = figure.series
        args = (report, series.appendix_table, series.appendix_column, series.appendix_scope)
        if figure.year - 1 not in report[series.appendix_table].years:  # 2024's change needs 2023: not printed
            assert reader.row(figure).derived_change_percent is None
            continue
        now, before = Decimal(printed_total(*args, figure.year)), Decimal(printed_total(*args, figure.year - 1))
        expected = (now - before) / before * 100
        assert at_precision(expected, decimals(str(figure.change_value.normalize()))) == figure.change_value.normalize()
        row = reader.row(figure)
        assert at_precision(row.derived_change_percent, 1) == at_precision(expected, 1)
        checked += 1
    assert checked >= 12  # 授权发明/实用新型/外观设计, 注册, 有效注册 (each by scope), 集成电路 …


def test_new_gi_marks_show_the_prose_and_the_appendix_and_say_why_they_differ(report):
    figure = NationalFigure.objects.get(series__name_zh="新核准地理标志作为集体商标、证明商标注册", year=2025)
    table_10 = report[10]
    appendix_change = cell(table_10, "合计", 2025, "gi_marks") - cell(table_10, "合计", 2024, "gi_marks")
    assert (figure.value, appendix_change) == (51, 23)
    row = selectors.figure_rows([figure])[0]
    assert row.value == 51
    assert row.appendix_value == 23
    assert "51" in figure.series.note and "23" in figure.series.note


def _number(printed: str) -> str:
    return re.search(r"\d+(?:\.\d+)?", printed).group(0)
