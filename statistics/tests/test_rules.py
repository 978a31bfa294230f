"""The appendix rules, through the shell (model saves), the database itself, and the fixture/import path.

The admin entry point is covered in ``test_admin.py``. Rules: no negative value; one row per entity, year (and
measure); printed totals equal their parts (row total, domestic, foreign, grand); every label is a known region or
country; the "of which" rows of a province never exceed it. Every refusal names the cell and writes nothing.
"""

import csv
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from statistics import models, services

from .factories import FIGURE_FACTORIES, CityFactory, RegionFactory

pytestmark = pytest.mark.django_db

APPENDIX_CSV = Path(settings.BASE_DIR) / "fixtures" / "appendix.csv"
REGION_MODELS = [model for model in FIGURE_FACTORIES if model.entity_field == "region"]
ASCII_NAMES = {"国内总计": "domestic", "国外在华总计": "foreign", "合计": "grand", "北京": "beijing", "美国": "us"}
CASES = [(model, field) for model in FIGURE_FACTORIES for field in model.value_fields]


def case_id(case):
    return case.__name__ if isinstance(case, type) else str(case)


def measure_label(figure) -> str | None:
    """The measure as shown to a person (e.g. "applications filed"), for models that have one."""
    return str(figure.get_measure_display()) if hasattr(figure, "get_measure_display") else None


def build_figure(model, **values):
    """An unsaved figure of ``model`` for a fresh, saved entity."""
    figure = FIGURE_FACTORIES[model].build(**values)
    entity = figure.entity
    entity.save()
    setattr(figure, model.entity_field, entity)
    return figure


def entity_values(model, **values):
    """Field values that satisfy every rule, with ``values`` on top."""
    return {field: 5 for field in model.value_fields} | values


# ---------------------------------------------------------------------------------------------------------------
# Shell: Model.save()
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("model", "field"), CASES, ids=case_id)
def test_save_refuses_a_negative_value_naming_entity_year_and_measure(model, field):
    """``save()`` of a negative value raises ValidationError that names the entity, year and measure; nothing saved."""
    figure = build_figure(model, year=2031, **{field: -1})
    before = model.objects.count()
    with pytest.raises(ValidationError) as error:
        figure.save()
    message = " ".join(error.value.messages)
    assert str(figure.entity) in message
    assert "2031" in message
    if measure_label(figure):
        assert measure_label(figure) in message
    assert field in error.value.message_dict
    assert model.objects.count() == before


def test_shell_negative_value_on_a_report_region(db):
    """The brief's example: RegionPatentFigure(region=北京, measure='filed', invention=-1).save() names 北京."""
    beijing = models.Region.objects.lookup("北京")
    figure = models.RegionPatentFigure(
        region=beijing, year=2031, measure="filed", invention=-1, utility_model=0, design=0
    )
    with pytest.raises(ValidationError) as error:
        figure.save()
    message = " ".join(error.value.messages)
    assert "北京" in message
    assert "2031" in message
    assert measure_label(figure) in message
    assert not models.RegionPatentFigure.objects.filter(year=2031).exists()


@pytest.mark.parametrize("model", FIGURE_FACTORIES, ids=case_id)
def test_save_refuses_a_duplicate_entity_year_measure(model):
    """A second row for the same entity, year (and measure) raises ValidationError naming the row; nothing saved."""
    factory = FIGURE_FACTORIES[model]
    first = factory(year=2032)
    keys = {model.entity_field: first.entity, "year": 2032}
    if hasattr(first, "measure"):
        keys["measure"] = first.measure
    duplicate = model(**keys, **entity_values(model))
    before = model.objects.count()
    with pytest.raises(ValidationError) as error:
        duplicate.save()
    message = " ".join(error.value.messages)
    assert str(first.entity) in message
    assert "2032" in message
    if measure_label(first):
        assert measure_label(first) in message
    assert model.objects.count() == before


def test_shell_duplicate_of_a_report_row(db):
    """北京 2025 filed is already loaded from the report; saving it again is refused."""
    beijing = models.Region.objects.lookup("北京")
    figure = models.RegionPatentFigure(
        region=beijing, year=2025, measure="filed", invention=1, utility_model=1, design=1
    )
    with pytest.raises(ValidationError) as error:
        figure.save()
    assert "北京" in " ".join(error.value.messages)
    assert models.RegionPatentFigure.objects.get(region=beijing, year=2025, measure="filed").invention == 217495


def test_same_entity_and_year_with_another_measure_is_allowed(db):
    """Uniqueness is per measure: filed and granted rows of one region and year coexist."""
    figure = FIGURE_FACTORIES[models.RegionPatentFigure](year=2033, measure="filed")
    FIGURE_FACTORIES[models.RegionPatentFigure](region=figure.region, year=2033, measure="granted")
    assert models.RegionPatentFigure.objects.filter(region=figure.region, year=2033).count() == 2


# ---------------------------------------------------------------------------------------------------------------
# Database constraints, when clean() is bypassed
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("model", "field"), CASES, ids=case_id)
def test_bulk_create_of_a_negative_value_hits_the_database_constraint(model, field):
    """``QuerySet.bulk_create`` skips clean(); the database still refuses a negative value."""
    figure = build_figure(model, year=2034, **{field: -1})
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.bulk_create([figure])
    assert not model.objects.filter(year=2034).exists()


@pytest.mark.parametrize("model", FIGURE_FACTORIES, ids=case_id)
def test_bulk_create_of_a_duplicate_hits_the_database_constraint(model):
    """``QuerySet.bulk_create`` skips validate_unique(); the database still refuses a duplicate row."""
    first = FIGURE_FACTORIES[model](year=2035)
    keys = {model.entity_field: first.entity, "year": 2035}
    if hasattr(first, "measure"):
        keys["measure"] = first.measure
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.bulk_create([model(**keys, **entity_values(model))])
    assert model.objects.filter(year=2035).count() == 1


# ---------------------------------------------------------------------------------------------------------------
# "Of which" rows, one row at a time
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", REGION_MODELS, ids=case_id)
def test_saving_a_city_larger_than_its_province_is_refused(model):
    """A city row may equal its province but not exceed it; the refusal names the province and the year."""
    factory = FIGURE_FACTORIES[model]
    province = factory(year=2036)
    city = CityFactory(parent=province.region)
    field = model.value_fields[0]
    extra = {"measure": province.measure} if hasattr(province, "measure") else {}
    factory(region=city, year=2036, **extra, **{field: getattr(province, field)})  # equal is fine
    second_city = CityFactory(parent=province.region)
    too_big = factory.build(region=second_city, year=2036, **extra, **{field: 1})
    with pytest.raises(ValidationError) as error:
        too_big.save()
    message = " ".join(error.value.messages)
    assert str(province.region) in message
    assert "2036" in message
    assert field in error.value.message_dict
    assert not model.objects.filter(region=second_city).exists()


@pytest.mark.parametrize("model", REGION_MODELS, ids=case_id)
def test_lowering_a_province_below_its_cities_is_refused(model):
    """Editing the province so that its stored "of which" rows exceed it is refused as well."""
    factory = FIGURE_FACTORIES[model]
    province = factory(year=2037)
    extra = {"measure": province.measure} if hasattr(province, "measure") else {}
    field = model.value_fields[0]
    factory(region=CityFactory(parent=province.region), year=2037, **extra, **{field: 3})
    setattr(province, field, 2)
    with pytest.raises(ValidationError):
        province.save()
    province.refresh_from_db()
    assert getattr(province, field) != 2


def test_other_years_and_measures_do_not_count_against_the_province(db):
    """Only rows of the same year and measure are compared with the province."""
    factory = FIGURE_FACTORIES[models.RegionPatentFigure]
    province = factory(year=2038, measure="filed", invention=1)
    city = CityFactory(parent=province.region)
    factory(region=city, year=2038, measure="granted", invention=50)
    factory(region=city, year=2039, measure="filed", invention=50)
    assert models.RegionPatentFigure.objects.filter(region=city).count() == 2


def test_report_city_raised_above_its_province_is_refused(db):
    """(深圳) 2025 applications raised above 广东's own figure cannot be saved from the shell."""
    shenzhen = models.RegionPatentFigure.objects.get(region__name_zh="深圳", year=2025, measure="filed")
    shenzhen.invention = 266117  # 广东 2025 发明 as printed; 深圳 + 广州 would then exceed it
    with pytest.raises(ValidationError) as error:
        shenzhen.save()
    assert "广东" in " ".join(error.value.messages)
    shenzhen.refresh_from_db()
    assert shenzhen.invention == 117478


def test_of_which_refusal_names_the_measure(db):
    """The single-row "of which" message names the measure too (filed / granted / in force), like every other one.

    Without it, "广东 2036 invention" cannot tell table 1 from tables 3 and 5.
    """
    factory = FIGURE_FACTORIES[models.RegionPatentFigure]
    province = factory(year=2036, measure="granted", invention=1)
    too_big = factory.build(region=CityFactory(parent=province.region), year=2036, measure="granted", invention=2)
    with pytest.raises(ValidationError) as error:
        too_big.save()
    assert measure_label(too_big) in " ".join(error.value.messages)


# ---------------------------------------------------------------------------------------------------------------
# Fixture / import path: services.apply_tables
# ---------------------------------------------------------------------------------------------------------------


def read_cells() -> list[dict]:
    with APPENDIX_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_cells(path: Path, cells: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["table", "row", "label", "year", "measure", "value"])
        writer.writeheader()
        writer.writerows(cells)
    return path


def set_cell(cells, table, label, year, measure, value):
    matches = [
        cell
        for cell in cells
        if (cell["table"], cell["label"], cell["year"], cell["measure"]) == (str(table), label, str(year), measure)
    ]
    assert len(matches) == 1, (table, label, year, measure)
    original = int(matches[0]["value"])
    matches[0]["value"] = str(value(original) if callable(value) else value)
    return original


def apply(path: Path):
    return services.apply_tables(services.read_fixture_tables(path))


def names_cell(text: str, table: int, *words: str) -> bool:
    """True if one line of ``text`` names table ``table`` and then every word in order (entity, year, measure…)."""
    pattern = re.compile(rf"表 ?{table}(?!\d).*?" + ".*?".join(re.escape(word) for word in words))
    return any(pattern.search(line) for line in text.splitlines())


@pytest.fixture
def reference_only(no_figures, count_figures):
    """Reference data loaded, no figures: whatever apply_tables writes would show in the counts."""
    assert set(count_figures().values()) == {0}


def test_the_unmodified_fixture_applies(reference_only, tmp_path, count_figures):
    """Control: the fixture as shipped passes every rule and writes 1954 rows."""
    counts = apply(write_cells(tmp_path / "appendix.csv", read_cells()))
    assert (counts.created, counts.updated) == (1954, 0)
    assert sum(count_figures().values()) == 1954


TOTAL_CASES = [
    (1, "国内总计", 2025, "invention", "发明"),
    (5, "国内总计", 2024, "total", "合计"),
    (7, "国内总计", 2025, "in_force", "年末有效注册量"),
    (2, "国外在华总计", 2024, "design", "外观设计"),
    (8, "国外在华总计", 2025, "registrations", "注册量"),
    (9, "合计", 2025, "gi_products", "年末累计批准数量"),
    (12, "国外在华总计", 2024, "ic_certificates", "发证数量"),
    (3, "北京", 2025, "total", "合计"),
    (6, "美国", 2024, "total", "合计"),
]


@pytest.mark.parametrize(
    ("table", "label", "year", "code", "printed_measure"),
    TOTAL_CASES,
    ids=[f"table{case[0]}-{ASCII_NAMES[case[1]]}-{case[2]}-{case[3]}" for case in TOTAL_CASES],
)
def test_a_printed_total_that_is_not_the_sum_of_its_parts_is_refused(
    reference_only, tmp_path, count_figures, table, label, year, code, printed_measure
):
    """One printed total off by one: TableProblems names table, entity, year and measure, and nothing is written."""
    cells = read_cells()
    original = set_cell(cells, table, label, year, code, lambda value: value + 1)
    with pytest.raises(services.TableProblems) as error:
        apply(write_cells(tmp_path / "appendix.csv", cells))
    assert names_cell(str(error.value), table, label, str(year), printed_measure, str(original + 1)), str(error.value)
    assert set(count_figures().values()) == {0}


def test_a_changed_part_breaks_its_row_total_and_the_domestic_total(reference_only, tmp_path, count_figures):
    """北京's invention changed alone: both the row's 合计 and 国内总计 no longer add up."""
    cells = read_cells()
    set_cell(cells, 1, "北京", 2025, "invention", lambda value: value + 1)
    with pytest.raises(services.TableProblems) as error:
        apply(write_cells(tmp_path / "appendix.csv", cells))
    text = str(error.value)
    assert names_cell(text, 1, "北京", "2025", "合计", "311455")
    assert names_cell(text, 1, "国内总计", "2025", "发明")
    assert set(count_figures().values()) == {0}


def test_a_problem_in_the_last_table_writes_none_of_the_others(reference_only, tmp_path, count_figures):
    """All or nothing: tables 1–11 are fine, table 12 is not, and no table is written."""
    cells = read_cells()
    set_cell(cells, 12, "合计", 2025, "ic_certificates", lambda value: value - 1)
    with pytest.raises(services.TableProblems):
        apply(write_cells(tmp_path / "appendix.csv", cells))
    assert set(count_figures().values()) == {0}


def test_a_consistent_change_to_a_city_row_is_accepted(reference_only, tmp_path):
    """(深圳) is an "of which" row: changing it (and its own total) leaves 国内总计 correct, so the table passes."""
    cells = read_cells()
    set_cell(cells, 1, "(深圳)", 2025, "invention", lambda value: value + 1)
    set_cell(cells, 1, "(深圳)", 2025, "total", lambda value: value + 1)
    apply(write_cells(tmp_path / "appendix.csv", cells))
    shenzhen = models.RegionPatentFigure.objects.get(region__name_zh="深圳", year=2025, measure="filed")
    assert shenzhen.invention == 117478 + 1


def test_a_negative_value_is_refused(reference_only, tmp_path, count_figures):
    """A negative cell is named (table, entity, year, measure) and nothing is written."""
    cells = read_cells()
    set_cell(cells, 1, "北京", 2025, "invention", -1)
    with pytest.raises(services.TableProblems) as error:
        apply(write_cells(tmp_path / "appendix.csv", cells))
    assert names_cell(str(error.value), 1, "北京", "2025", "发明", "-1")
    assert set(count_figures().values()) == {0}


@pytest.mark.parametrize(
    ("table", "label", "unknown"),
    [(1, "北京", "北平"), (7, "(深圳)", "(鹏城)"), (2, "美国", "美利坚"), (9, "法国", "高卢"), (11, "其他", "别处")],
)
def test_an_unknown_label_is_refused(reference_only, tmp_path, count_figures, table, label, unknown):
    """A row whose label names no region or country is refused, naming the label and the table."""
    cells = read_cells()
    for cell in cells:
        if (cell["table"], cell["label"]) == (str(table), label):
            cell["label"] = unknown
    with pytest.raises(services.TableProblems) as error:
        apply(write_cells(tmp_path / "appendix.csv", cells))
    assert names_cell(str(error.value), table, unknown), str(error.value)
    assert set(count_figures().values()) == {0}


def test_a_province_printed_as_an_of_which_row_is_unknown(reference_only, tmp_path, count_figures):
    """ "(北京)" is not an "of which" row: a province in parentheses is refused, not loaded as 北京."""
    cells = [cell for cell in read_cells() if cell["table"] == "1"]
    for cell in cells:
        if cell["label"] == "北京":
            cell["label"] = "(北京)"
    with pytest.raises(services.TableProblems) as error:
        apply(write_cells(tmp_path / "appendix.csv", cells))
    assert names_cell(str(error.value), 1, "(北京)")
    assert set(count_figures().values()) == {0}


@pytest.mark.parametrize(("table", "label"), [(7, "北京"), (2, "日本"), (10, "法国")])
def test_a_duplicate_row_is_refused(reference_only, tmp_path, count_figures, table, label):
    """The same entity printed twice in a table is refused, naming the entity and the table."""
    cells = read_cells()
    last_row = max(int(cell["row"]) for cell in cells if cell["table"] == str(table))
    copies = [
        cell | {"row": str(last_row + 1)} for cell in cells if (cell["table"], cell["label"]) == (str(table), label)
    ]
    with pytest.raises(services.TableProblems) as error:
        apply(write_cells(tmp_path / "appendix.csv", cells + copies))
    assert names_cell(str(error.value), table, label), str(error.value)
    assert set(count_figures().values()) == {0}


@pytest.mark.parametrize(
    ("table", "code", "printed_measure"), [(1, "invention", "发明"), (7, "applications", "申请量")]
)
def test_a_city_larger_than_its_province_is_refused(
    reference_only, tmp_path, count_figures, table, code, printed_measure
):
    """(深圳) made larger than 广东 (its own row total kept right) is refused, naming 广东, the year and the measure."""
    cells = read_cells()
    guangdong = int(next(
        cell["value"] for cell in cells
        if (cell["table"], cell["label"], cell["year"], cell["measure"]) == (str(table), "广东", "2025", code)
    ))  # fmt: skip
    original = set_cell(cells, table, "(深圳)", 2025, code, guangdong + 1)
    if table == 1:
        set_cell(cells, table, "(深圳)", 2025, "total", lambda value: value + guangdong + 1 - original)
    with pytest.raises(services.TableProblems) as error:
        apply(write_cells(tmp_path / "appendix.csv", cells))
    text = str(error.value)
    assert names_cell(text, table, "广东", "2025", printed_measure, "深圳"), text
    assert set(count_figures().values()) == {0}


def test_a_refused_reimport_leaves_the_stored_figures_alone(db, tmp_path, count_figures):
    """Over a loaded database, a refused table changes no stored value."""
    before = count_figures()
    cells = read_cells()
    set_cell(cells, 1, "北京", 2025, "invention", 1)
    set_cell(cells, 1, "北京", 2025, "total", lambda value: value - 217495 + 1)
    with pytest.raises(services.TableProblems):
        apply(write_cells(tmp_path / "appendix.csv", cells))
    assert count_figures() == before
    assert models.RegionPatentFigure.objects.get(region__name_zh="北京", year=2025, measure="filed").invention == 217495


def test_factories_build_valid_regions(db):
    """Guard for the factories the rule tests rely on: a fresh province and a city of it pass full_clean."""
    province = RegionFactory()
    city = CityFactory(parent=province)
    province.full_clean()
    city.full_clean()
    assert city.is_part and not province.is_part


def test_a_partial_table_cannot_put_a_city_above_its_stored_province(db, tmp_path):
    """A table holding only the (深圳) rows is checked against the stored 广东 row too: the rule holds in the database.

    The table-level check compares a city with its province only when both are in the same upload; without this,
    an upload of the city row alone stores a city larger than its province.
    """
    cells = [cell for cell in read_cells() if (cell["table"], cell["label"]) == ("1", "(深圳)")]
    original = set_cell(cells, 1, "(深圳)", 2025, "invention", 266118)  # 广东 2025 发明 is 266117
    set_cell(cells, 1, "(深圳)", 2025, "total", lambda value: value + 266118 - original)
    with pytest.raises(services.TableProblems) as error:
        apply(write_cells(tmp_path / "shenzhen.csv", cells))
    assert names_cell(str(error.value), 1, "广东", "2025", "发明"), str(error.value)
    stored = models.RegionPatentFigure.objects.get(region__name_zh="深圳", year=2025, measure="filed")
    assert stored.invention == 117478


def test_a_partial_table_cannot_put_a_province_below_its_stored_cities(db, tmp_path):
    """Likewise, a table holding only 广东 may not lower it below the stored (广州) + (深圳)."""
    cells = [cell for cell in read_cells() if (cell["table"], cell["label"]) == ("1", "广东")]
    original = set_cell(cells, 1, "广东", 2025, "invention", 1000)
    set_cell(cells, 1, "广东", 2025, "total", lambda value: value + 1000 - original)
    with pytest.raises(services.TableProblems) as error:
        apply(write_cells(tmp_path / "guangdong.csv", cells))
    assert names_cell(str(error.value), 1, "广东", "2025", "发明"), str(error.value)
    stored = models.RegionPatentFigure.objects.get(region__name_zh="广东", year=2025, measure="filed")
    assert stored.invention == 266117


def test_a_missing_cell_is_reported_as_a_problem(reference_only, tmp_path, count_figures):
    """A row with a cell missing is refused with a problem naming the cell (not a database error); nothing written.

    (深圳) is an "of which" row, so no printed total notices that its 2025 外观设计 cell is gone.
    """
    cells = [
        cell
        for cell in read_cells()
        if (cell["table"], cell["label"], cell["year"], cell["measure"]) != ("1", "(深圳)", "2025", "design")
    ]
    with pytest.raises(services.TableProblems) as error:
        apply(write_cells(tmp_path / "appendix.csv", cells))
    assert names_cell(str(error.value), 1, "深圳", "2025", "外观设计"), str(error.value)
    assert set(count_figures().values()) == {0}
