"""Answers ``statistics.national_sources.national_indicator_sources``: the 表 3 values this registry holds.

No. 21 (国家级知识产权保护中心数量) is the published total of national protection centres and rapid centres
(``PublishedTotal.Measure.CENTRES``): 129 in 2025, 124 in 2024, each with the sentence it was printed in.
"""

from statistics.national_sources import SourcedValue

from .models import PublishedTotal

INDICATORS = {"N21": PublishedTotal.Measure.CENTRES}


def registry_indicator_values(sender=None, year=None, **kwargs) -> dict:
    totals = PublishedTotal.objects.filter(year=year, measure__in=INDICATORS.values())
    by_measure = {total.measure: total for total in totals}
    values = {}
    for code, measure in INDICATORS.items():
        total = by_measure.get(measure)
        if total is not None:
            values[code] = SourcedValue(total.value, total.source, "registry", total.printed)
    return values
