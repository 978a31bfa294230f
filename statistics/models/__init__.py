"""The models of the statistics app: reference dimensions, appendix figures, import runs and the indicator catalogue.

The twelve tables fall into three families, each stored once per entity (a region or a country) and year:

* patents (tables 1–6): invention, utility model and design, for filings, grants and patents in force;
* trademarks (tables 7–8): applications, registrations and registrations in force;
* single counts (tables 9–12): GI products, GI collective/certification marks, IC layout-design applications and
  certificates.

Totals are never stored: a row's total, the domestic, foreign and grand totals are derived (see ``rules.py``),
so they cannot disagree with their parts.
"""

from .chapter import ChapterFigure, ChapterTableCode
from .figures import (
    CountFigure,
    CountMeasure,
    CountryCountFigure,
    CountryPatentFigure,
    CountryTrademarkFigure,
    Figure,
    ForeignRowOrder,
    PatentFigure,
    PatentMeasure,
    RegionCountFigure,
    RegionPatentFigure,
    RegionTrademarkFigure,
    TrademarkFigure,
    YearField,
    count_field,
)
from .indicators import Framework, Indicator, IndicatorGroup, Source
from .national import NationalFigure, NationalReturn, NationalSeries
from .reference import PERMISSIONS, Country, CountryQuerySet, LookupQuerySet, Region, RegionQuerySet
from .runs import ImportRun, ImportUpload

__all__ = [
    "PERMISSIONS",
    "ChapterFigure",
    "ChapterTableCode",
    "CountFigure",
    "CountMeasure",
    "Country",
    "CountryCountFigure",
    "CountryPatentFigure",
    "CountryQuerySet",
    "CountryTrademarkFigure",
    "Figure",
    "ForeignRowOrder",
    "Framework",
    "ImportRun",
    "ImportUpload",
    "Indicator",
    "IndicatorGroup",
    "LookupQuerySet",
    "NationalFigure",
    "NationalReturn",
    "NationalSeries",
    "PatentFigure",
    "PatentMeasure",
    "Region",
    "RegionCountFigure",
    "RegionPatentFigure",
    "RegionQuerySet",
    "RegionTrademarkFigure",
    "Source",
    "TrademarkFigure",
    "YearField",
    "count_field",
]
