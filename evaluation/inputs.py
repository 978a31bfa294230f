"""What an edition is computed from, read with the owning apps' rules: the provinces' approved annual returns (表 4)
and headquarters' approved national values (表 3), turned into the engine's arrays.

The returns app decides what an approved value is and how the computed indicators (per-capita and per-GDP ratios)
follow from the entered ones (``returns.sheet``); this module only asks it, once per query, and arranges the
answers. The 31 provinces of the evaluation are the province-level regions without 台湾, 香港 and 澳门 (the report,
line 1309: "未包括港澳台地区"); the XPCC and the cities are parts of a province and are never scored on their own.
"""

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from returns.models import AnnualReturn, IndicatorValue
from returns.sheet import catalogue, computed_values
from review.models import State
from statistics.models import Framework, Region

from .engine import Tree
from .models import DemoReturn, FrameworkGroup, FrameworkIndicator
from .models.frameworks import Direction

NOT_EVALUATED = ("710000", "810000", "820000")  # 台湾, 香港, 澳门


def evaluated_provinces() -> list[Region]:
    return list(Region.objects.province_level().exclude(code__in=NOT_EVALUATED).order_by("display_order"))


@dataclass
class RegionalFramework:
    """The regional framework as the engine sees it: first-level groups (pillars), second-level groups, and the
    indicator slots that are linked to a catalogue indicator; placeholders are listed apart (they hold no values)."""

    pillars: list
    groups: list
    slots: list
    placeholders: list
    tree: Tree

    @property
    def codes(self) -> list[str]:
        return [slot.catalogue_indicator.code for slot in self.slots]

    def group_key(self, group) -> str:
        return f"{group.parent.name_zh}/{group.name_zh}"


def regional_framework() -> RegionalFramework:
    groups_all = list(
        FrameworkGroup.objects.filter(framework=Framework.REGIONAL).select_related("parent").order_by("position", "pk")
    )
    pillars = [group for group in groups_all if group.parent_id is None]
    groups = [group for group in groups_all if group.parent_id is not None]
    groups.sort(key=lambda group: ([p.pk for p in pillars].index(group.parent_id), group.position, group.pk))
    slots_all = list(
        FrameworkIndicator.objects.filter(framework=Framework.REGIONAL)
        .select_related("group", "group__parent", "catalogue_indicator")
        .order_by("number")
    )
    slots = [slot for slot in slots_all if slot.catalogue_indicator_id and slot.group and slot.group.parent_id]
    placeholders = [slot for slot in slots_all if slot not in slots]
    tree = Tree.build(
        [(slot.catalogue_indicator.code, str(slot.group_id)) for slot in slots],
        [(str(group.pk), str(group.parent_id)) for group in groups],
    )
    # Pillars without any second-level group would be absent from the tree; the framework always has them.
    return RegionalFramework(pillars=pillars, groups=groups, slots=slots, placeholders=placeholders, tree=tree)


def directions_of(slots) -> dict[str, str]:
    return {slot.catalogue_indicator.code: slot.direction for slot in slots}


@dataclass
class RegionalInputs:
    provinces: list
    data_years: list[int]
    values: np.ndarray  # (P, I, T)
    missing: np.ndarray
    returns: dict = field(default_factory=dict)  # "region code/year" → return version
    demo_returns: int = 0


def approved_data_years(up_to: int) -> list[int]:
    """The years (≤ ``up_to``) for which at least one province has an approved return."""
    years = AnnualReturn.objects.filter(state=State.APPROVED, year__lte=up_to).order_by("year")
    return list(years.values_list("year", flat=True).distinct())


def regional_inputs(codes: list[str], data_years: list[int]) -> RegionalInputs:
    """The approved returns' values for ``codes`` (entered, pre-filled and computed alike), province × code × year.

    Three queries whatever the number of provinces: the approved returns, their values, and the demonstration marks.
    """
    provinces = evaluated_provinces()
    position = {region.pk: n for n, region in enumerate(provinces)}
    year_position = {year: n for n, year in enumerate(data_years)}
    code_position = {code: n for n, code in enumerate(codes)}
    approved = list(
        AnnualReturn.objects.filter(
            state=State.APPROVED, year__in=data_years, region__in=[region.pk for region in provinces]
        ).select_related("region")
    )
    stored: dict[int, dict[str, Decimal]] = {ret.pk: {} for ret in approved}
    for return_id, code, value in IndicatorValue.objects.filter(annual_return__in=approved).values_list(
        "annual_return_id", "indicator__code", "value"
    ):
        if value is not None:
            stored[return_id][code] = value
    indicators = catalogue()
    values = np.full((len(provinces), len(codes), len(data_years)), np.nan)
    for ret in approved:
        known = dict(stored[ret.pk])
        known.update({code: value for code, value in computed_values(indicators, known).items() if value is not None})
        for code, value in known.items():
            if code in code_position and value is not None:
                values[position[ret.region_id], code_position[code], year_position[ret.year]] = float(value)
    demo = DemoReturn.objects.filter(annual_return__in=approved).count()
    return RegionalInputs(
        provinces=provinces,
        data_years=list(data_years),
        values=values,
        missing=~np.isfinite(values),
        returns={f"{ret.region.code}/{ret.year}": ret.version for ret in approved},
        demo_returns=demo,
    )


def direction_signs(codes: list[str], directions: dict[str, str]) -> np.ndarray:
    return np.array([-1.0 if directions.get(code) == Direction.LOWER_IS_BETTER else 1.0 for code in codes])


def national_values(years: list[int]) -> tuple[dict[int, dict[str, Decimal]], str]:
    """The national (表 3) values per evaluation year, from the statistics app's selector: the approved national
    return's, else the value the reports print, else another app's (``national_indicator_values``, h8).

    Returns the values and a note; the note says why there are none when the national return is not available.
    """
    try:
        from statistics.selectors import national_indicator_values
    except ImportError:
        return {}, "the national return is not installed"
    found = {year: national_indicator_values(year) for year in years}
    return {year: values for year, values in found.items() if values}, ""
