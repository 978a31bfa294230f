"""The indicator catalogue as loaded, its formulas, and adding an indicator through the admin's import."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from tablib import Dataset

from statistics.catalogue import load_indicator_catalogue
from statistics.formulas import FormulaError, evaluate, inputs_of, parse_formula
from statistics.models import Indicator, IndicatorGroup
from statistics.resources import IndicatorResource


@pytest.mark.django_db
def test_catalogue_holds_every_printed_indicator_with_its_group_and_unit():
    regional = Indicator.objects.filter(framework="regional", number__isnull=False)
    national = Indicator.objects.filter(framework="national", number__isnull=False)
    assert sorted(regional.values_list("number", flat=True)) == list(range(1, 63))
    assert sorted(national.values_list("number", flat=True)) == list(range(15, 67))
    no13 = Indicator.objects.get(framework="regional", number=13)
    assert (no13.name_zh, no13.unit, str(no13.group)) == ("国家级知识产权保护中心数量", "家", "知识产权保护 / 协同保护")
    assert Indicator.objects.get(code="R24").source_detail == "7.in_force"
    assert {code: Indicator.objects.get(code=code).source for code in ("R13", "R14", "R19", "R24", "R01")} == {
        "R13": "registry",
        "R14": "registry",
        "R19": "computed",
        "R24": "national_statistics",
        "R01": "entered",
    }


@pytest.mark.django_db
def test_loading_the_catalogue_again_changes_nothing():
    assert load_indicator_catalogue() == 0


@pytest.mark.django_db
def test_every_formula_reads_only_known_codes():
    codes = set(Indicator.objects.values_list("code", flat=True))
    for indicator in Indicator.objects.filter(source="computed"):
        assert set(inputs_of(indicator.formula)) <= codes, indicator.code


def test_formulas_compute_in_decimal_and_give_none_for_missing_inputs():
    assert evaluate("R42 / D_GDP * 100", {"R42": Decimal("1.5"), "D_GDP": Decimal("30")}) == Decimal("5")
    assert evaluate("R18 / D_POPULATION", {"R18": Decimal("4")}) is None
    assert evaluate("R18 / D_POPULATION", {"R18": Decimal("4"), "D_POPULATION": Decimal("0")}) is None


@pytest.mark.parametrize("formula", ["__import__('os')", "R1 ** 2", "R1.real", "[R1]", "R1 if R2 else R3", "f(R1)"])
def test_formulas_refuse_anything_but_arithmetic(formula):
    with pytest.raises(FormulaError):
        parse_formula(formula)


@pytest.mark.django_db
def test_a_computed_indicator_needs_a_valid_formula():
    indicator = Indicator(
        framework="regional",
        code="R99",
        name_zh="测试",
        name_en="test",
        unit="%",
        group=IndicatorGroup.objects.filter(framework="regional").first(),
        source="computed",
        formula="R01 **",
    )
    with pytest.raises(ValidationError) as refused:
        indicator.full_clean()
    assert "formula" in refused.value.message_dict


@pytest.mark.django_db
def test_administrators_add_a_missing_indicator_by_import(admin_user):
    data = Dataset(
        headers=[
            "代码",
            "体系",
            "序号",
            "中文名称",
            "英文名称",
            "单位",
            "分组",
            "来源",
            "来源说明",
            "公式",
            "必填",
            "变动阈值（%）",
        ]
    )
    data.append(
        [
            "R63",
            "regional",
            63,
            "知识产权服务业从业人员数量",
            "IP service employees",
            "人",
            "市场运行 / 市场运营",
            "entered",
            "",
            "",
            1,
            "",
        ]
    )
    result = IndicatorResource().import_data(data, dry_run=False, user=admin_user)
    assert not result.has_errors() and not result.has_validation_errors()
    added = Indicator.objects.get(code="R63")
    assert (added.number, str(added.group), added.required) == (63, "市场运行 / 市场运营", True)
