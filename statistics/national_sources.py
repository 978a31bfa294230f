"""Values of 表 3 indicators that other apps hold, read without ``statistics`` importing them (it is the base app).

An app that holds such a value connects a receiver to ``national_indicator_sources``; the receiver is called with
``year`` and returns ``{indicator code: SourcedValue}``. The protection app answers No. 21 (国家级知识产权保护中心
数量) from its published registry totals, for example. ``sourced_values(year)`` collects every answer.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.dispatch import Signal

national_indicator_sources = Signal()


@dataclass(frozen=True)
class SourcedValue:
    """A value with where it comes from: the sentence as printed, or the record that holds it."""

    value: Decimal
    source: str
    origin: str  # "report", "registry", "national return"
    printed: str = ""


def sourced_values(year: int) -> dict[str, SourcedValue]:
    values: dict[str, SourcedValue] = {}
    for _receiver, answer in national_indicator_sources.send(sender=None, year=year):
        for code, sourced in (answer or {}).items():
            values.setdefault(code, sourced)
    return values
