"""Formulas evaluated in dependency order (graphlib), each once, and circles refused with the codes of the circle."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from returns.sheet import computed_values
from statistics.formulas import FormulaCycle, evaluate_all, evaluation_order
from statistics.models import Indicator, IndicatorGroup


def test_a_formula_reading_a_later_one_is_evaluated_after_it():
    """Listed against their order (C reads B reads A): one pass over the list would leave C and B empty."""
    formulas = {"C": "B * 2", "B": "A + 1", "A": "R1 / R2"}
    assert evaluation_order(formulas) == ["A", "B", "C"]
    assert evaluate_all(formulas, {"R1": Decimal(6), "R2": Decimal(3)}) == {
        "C": Decimal(6),
        "B": Decimal(3),
        "A": Decimal(2),
    }


def test_a_missing_input_leaves_what_reads_it_empty():
    assert evaluate_all({"B": "A + 1", "A": "R1 / R2"}, {"R1": Decimal(6)}) == {"B": None, "A": None}


def test_a_circle_is_refused_with_its_codes():
    with pytest.raises(FormulaCycle) as refused:
        evaluation_order({"A": "B + 1", "B": "C + 1", "C": "A + 1", "D": "R1 * 2"})
    assert refused.value.codes == ["A", "B", "C", "A"]
    assert "A → B → C → A" in str(refused.value)


def test_a_formula_reading_itself_is_a_circle():
    with pytest.raises(FormulaCycle) as refused:
        evaluate_all({"A": "A * 2"}, {})
    assert refused.value.codes == ["A", "A"]


def test_the_circle_is_named_in_chinese():
    with translation.override("zh-hans"), pytest.raises(FormulaCycle) as refused:
        evaluation_order({"A": "B", "B": "A"})
    assert str(refused.value) == "这些指标的算式相互引用，形成循环：A → B → A。"


def _computed(code: str, formula: str) -> Indicator:
    return Indicator(
        framework="regional",
        code=code,
        name_zh=f"测试 {code}",
        name_en=f"test {code}",
        unit="%",
        group=IndicatorGroup.objects.filter(framework="regional").first(),
        source="computed",
        formula=formula,
    )


@pytest.mark.django_db
def test_the_sheet_computes_ratios_of_ratios_whatever_the_catalogue_order():
    indicators = [_computed("X3", "X2 * 2"), _computed("X2", "X1 + 1"), _computed("X1", "R01 / R02")]
    values = {"R01": Decimal(10), "R02": Decimal(5)}
    assert computed_values(indicators, values) == {"X3": Decimal(6), "X2": Decimal(3), "X1": Decimal(2)}


@pytest.mark.django_db
def test_an_indicator_whose_formula_closes_a_circle_is_refused_when_saved():
    first = _computed("X1", "X2 + 1")
    first.full_clean()
    first.save()
    second = _computed("X2", "X1 * 2")
    with pytest.raises(ValidationError) as refused:
        second.full_clean()
    message = refused.value.message_dict["formula"][0]
    assert "X1 → X2 → X1" in message or "X2 → X1 → X2" in message  # the circle, from whichever code it starts
    assert not Indicator.objects.filter(code="X2").exists()
