"""The one number format (``core.numbers``): separators, sensible decimals, a sign on changes."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from core.numbers import format_change, format_number, format_percent_change


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("1234567"), None, "1,234,567"),
        (Decimal("12.5000"), None, "12.5"),
        (Decimal("5061.450924608819345661450925"), None, "5,061.45"),
        (Decimal("1E+3"), None, "1,000"),
        (Decimal("-1234.5"), None, "-1,234.5"),
        (Decimal("-0.004"), None, "0"),
        (1234.5678, 1, "1,234.6"),
        (Decimal("2.5"), 0, "3"),
        (None, None, ""),
    ],
)
def test_format_number(value, places, expected):
    assert format_number(value, places) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("6.34"), "+6.3%"),
        (Decimal("-0.04"), "0.0%"),
        (Decimal("0.05"), "+0.1%"),
        (Decimal("-12345.6"), "−12,345.6%"),
    ],
)
def test_changes_carry_their_sign(value, expected):
    assert format_percent_change(value) == expected


def test_change_without_suffix_and_empty():
    assert format_change(Decimal("131.8") - Decimal("125.5")) == "+6.3"
    assert format_change(None) == ""


def test_template_filters():
    template = Template("{% load numbers %}{{ a|number }} {{ b|number:2 }} {{ c|signed_percent }} {{ c|signed }}")
    assert template.render(Context({"a": 1234567, "b": Decimal("0.5"), "c": Decimal("-2.25")})) == (
        "1,234,567 0.50 −2.3% −2.3"
    )
