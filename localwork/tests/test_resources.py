"""Spreadsheet import/export: typical cases by administrators (all or nothing, natural keys); summaries export-only."""

import pytest
import tablib

from ..models import TypicalCase
from ..resources import TypicalCaseResource, WorkSummaryResource

pytestmark = pytest.mark.django_db

HEADERS = ["发布年度", "批次", "序号", "案例名称", "地区"]


def import_cases(rows, dry_run=False):
    return TypicalCaseResource().import_data(tablib.Dataset(*rows, headers=HEADERS), dry_run=dry_run)


def test_cases_import_by_batch_and_number_with_region_names():
    result = import_cases([[2026, 5, 1, "新的案例", "广东"], [2026, 5, 2, "另一个案例", "440000"]])
    assert not result.has_errors() and not result.has_validation_errors()
    assert list(TypicalCase.objects.filter(batch=5).values_list("number", "region__name_zh")) == [
        (1, "广东"),
        (2, "广东"),
    ]


def test_reimporting_the_report_batch_changes_nothing():
    rows = TypicalCaseResource().export().dict
    dataset = tablib.Dataset(*[[row[h] for h in HEADERS] for row in rows], headers=HEADERS)
    history = TypicalCase.history.count()
    result = TypicalCaseResource().import_data(dataset)
    assert not result.has_errors() and not result.has_validation_errors()
    assert TypicalCase.history.count() == history


@pytest.mark.parametrize(
    "rows",
    [
        [[2026, 5, 1, "案例", "火星"]],  # unknown region
        [[2026, 5, 1, "案例", "深圳"]],  # a city: cases belong to a province-level region
        [[2026, 5, 1, "案例", "广东"], [2026, 5, 1, "重复", "广东"]],  # the same key twice
    ],
)
def test_bad_rows_refuse_the_whole_file(rows):
    before = TypicalCase.objects.count()
    result = import_cases([[2026, 5, 9, "好的一行", "北京"], *rows])
    assert result.has_errors() or result.has_validation_errors()
    assert TypicalCase.objects.count() == before


def test_summaries_export_in_chinese_columns():
    dataset = WorkSummaryResource().export()
    assert dataset.headers == ["地区", "年度", "状态", "工作总结", "主要举措", "来源"]
    assert len(dataset) == 32
