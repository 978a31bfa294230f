"""A file that carries only part of a table is still held to the totals of the whole table.

A printed domestic or foreign total is compared with the sum over every entity of its year: the rows in the file,
and the stored rows of the entities the file does not carry.
"""

import pytest
from django.core.management import call_command

from statistics import models, services

from .test_rules import apply, names_cell, read_cells, set_cell, write_cells

pytestmark = pytest.mark.django_db


def only(cells, table: int, *labels: str) -> list[dict]:
    return [cell for cell in cells if cell["table"] == str(table) and cell["label"] in labels]


def test_a_partial_table_with_a_wrong_domestic_total_is_refused(tmp_path):
    """A 国内总计 that adds up the file's own rows (北京 alone) is wrong against the 33 stored regions."""
    cells = only(read_cells(), 7, "北京", "国内总计")
    set_cell(cells, 7, "北京", 2025, "applications", 392201)
    set_cell(cells, 7, "国内总计", 2025, "applications", 392201)
    with pytest.raises(services.TableProblems) as error:
        apply(write_cells(tmp_path / "beijing.csv", cells))
    assert names_cell(str(error.value), 7, "国内总计", "2025", "申请量"), str(error.value)
    stored = models.RegionTrademarkFigure.objects.get(region__name_zh="北京", year=2025)
    assert stored.applications == 392200  # as printed


def test_a_partial_table_with_the_right_domestic_total_is_accepted(tmp_path):
    """北京 +1 with 国内总计 +1 is right once the stored rows are counted in; the change is written."""
    cells = only(read_cells(), 7, "北京", "国内总计")
    set_cell(cells, 7, "北京", 2025, "applications", 392201)
    set_cell(cells, 7, "国内总计", 2025, "applications", 6768125)  # printed 6768124
    counts = apply(write_cells(tmp_path / "beijing.csv", cells))
    assert counts.updated == 1
    assert models.RegionTrademarkFigure.objects.get(region__name_zh="北京", year=2025).applications == 392201


def test_a_partial_foreign_table_is_held_to_the_foreign_total(tmp_path):
    cells = only(read_cells(), 8, "美国", "国外在华总计")
    set_cell(cells, 8, "美国", 2025, "registrations", lambda value: value + 5)
    set_cell(cells, 8, "国外在华总计", 2025, "registrations", lambda value: value + 4)
    with pytest.raises(services.TableProblems) as error:
        apply(write_cells(tmp_path / "usa.csv", cells))
    assert names_cell(str(error.value), 8, "国外在华总计", "2025", "注册量"), str(error.value)


def test_an_export_for_a_year_whose_previous_year_is_empty_imports_back(tmp_path):
    """``export_appendix --year 2024`` writes an empty 2023; reading it back treats 2023 as absent, not as errors."""
    path = tmp_path / "appendix-2024.xlsx"
    call_command("export_appendix", "--year", "2024", "--output", str(path))
    before = models.RegionPatentFigure.history.count()
    call_command("import_appendix", str(path))
    assert models.RegionPatentFigure.history.count() == before
    assert not models.RegionPatentFigure.objects.filter(year=2023).exists()
