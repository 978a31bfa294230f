"""Reads with rules over the national figures: what is public, which value a figure has, and the change it shows.

* Public figures are the reports' figures and the figures of *approved* national returns; a return's figures stay
  with headquarters while it is open (``public_figures``).
* A figure the appendix holds has no stored value: its value is the appendix total, derived on every read.
* The printed change (what the sentence says) is kept apart from the derived change (this year's value against the
  series' value of the year before, when both are exact figures).
* ``national_indicator_values(year)`` gives each 表 3 indicator its value for the year: the approved national
  return's value first, then the figure the reports print, then a value another app holds (the registry's
  published total for No. 21); the evaluation app computes the national index from these.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from review.models import State

from .models import Indicator
from .models.indicators import Framework
from .models.national import Bound, Document, NationalFigure, NationalReturn, NationalSeries
from .national_appendix import AppendixTotals, appendix_reference
from .national_sources import SourcedValue, sourced_values
from .totals import Totals, national_totals  # noqa: F401  (the appendix totals of a year, for other apps)

HEADLINE_CHAPTER = "知识产权“十四五”成就"
DIRECTOR_CHAPTER = "局长致辞"
HUNDRED = Decimal(100)


def public_figures():
    """The figures anyone may read: the reports' own, and those of approved national returns."""
    return (
        NationalFigure.objects.filter(Q(national_return__isnull=True) | Q(national_return__state=State.APPROVED))
        .select_related("series", "series__indicator", "national_return")
        .order_by("document", "position", "pk")
    )


# The columns a row of the figures list needs (``plain_figures``), its series' and its indicator's code.
FIGURE_COLUMNS = (
    "id",
    "series_id",
    "year",
    "value",
    "national_return_id",
    "bound",
    "document",
    "position",
    "qualifier",
    "printed",
    "change_value",
    "change_kind",
    "change_text",
    "chapter",
    "section",
    "source_line",
    "source_text",
    "note",
)
SERIES_COLUMNS = (
    "name_zh",
    "unit",
    "indicator_id",
    "appendix_table",
    "appendix_column",
    "appendix_scope",
    "appendix_relation",
    "note",
)
RANK_COLUMNS = ("id", "series_id", "year", "value", "national_return_id", "bound", "document", "position")


class PlainIndicator:
    __slots__ = ("code",)

    def __init__(self, code):
        self.code = code


class PlainSeries:
    """A series read with ``values()``: the attributes ``FigureReader``, the appendix link and the API read."""

    __slots__ = ("pk", "id", "indicator", *SERIES_COLUMNS)

    held_by_appendix = NationalSeries.held_by_appendix


class PlainFigure:
    """A figure read with ``values()`` instead of a model instance (no signals, no field descriptors per row).

    Same attribute names as ``NationalFigure``, so ``FigureReader`` and ``api.national.figure_data`` read either."""

    __slots__ = ("pk", "series", *FIGURE_COLUMNS)


def _plain_series(values: dict, series_by_id: dict) -> PlainSeries:
    series = series_by_id.get(values["series_id"])
    if series is None:
        series = PlainSeries()
        series.pk = series.id = values["series_id"]
        for name in SERIES_COLUMNS:
            setattr(series, name, values["series__" + name])
        code = values["series__indicator__code"]
        series.indicator = None if series.indicator_id is None else PlainIndicator(code)
        series_by_id[series.pk] = series
    return series


def plain_figure_values(figures):
    """``values()`` of a queryset of figures with the columns ``plain_figures`` reads (a page may slice it)."""
    return figures.values(*FIGURE_COLUMNS, *("series__" + name for name in SERIES_COLUMNS), "series__indicator__code")


def plain_figures(rows, series_by_id: dict | None = None) -> list[PlainFigure]:
    """Rows of ``plain_figure_values`` as figures; one series object per series (shared through ``series_by_id``)."""
    series_by_id = {} if series_by_id is None else series_by_id
    result = []
    for values in rows:
        figure = PlainFigure()
        for name in FIGURE_COLUMNS:
            setattr(figure, name, values[name])
        figure.pk = figure.id
        figure.series = _plain_series(values, series_by_id)
        result.append(figure)
    return result


@dataclass
class FigureRow:
    """A figure as shown: its value (stored or derived from the appendix), the appendix's own value where the
    series is compared with it, and the change against the previous year as printed and as derived."""

    figure: NationalFigure
    value: Decimal | None
    value_origin: str
    appendix_value: Decimal | None
    appendix_reference: str
    previous_value: Decimal | None
    derived_change: Decimal | None
    derived_change_percent: Decimal | None

    @property
    def series(self):
        return self.figure.series


def _rank(figure: NationalFigure) -> tuple:
    """Which figure stands for its series and year: an approved return first, then an exact figure, then the
    first printed (the annual report before the index report, headline before chapter)."""
    return (figure.national_return_id is None, figure.bound != Bound.EXACT, figure.document, figure.position)


class FigureReader:
    """Values of figures, read once per page or API response (appendix totals and series' other years cached)."""

    def __init__(self):
        self.appendix = AppendixTotals()
        self._best: dict[tuple[int, int], NationalFigure] = {}
        self._loaded_series: set[int] = set()
        self._plain_series: dict[int, PlainSeries] | None = None  # set by ``plain_rows``

    def _series_figures(self, missing):
        figures = public_figures().filter(series_id__in=missing)
        if self._plain_series is None:
            return figures
        return _ranked(figures.values_list(*RANK_COLUMNS), self._plain_series)

    def _load_series(self, series_ids) -> None:
        missing = set(series_ids) - self._loaded_series
        if not missing:
            return
        for figure in self._series_figures(missing):
            key = (figure.series_id, figure.year)
            if key not in self._best or _rank(figure) < _rank(self._best[key]):
                self._best[key] = figure
        self._loaded_series |= missing

    def value_of(self, figure: NationalFigure) -> tuple[Decimal | None, str]:
        if figure.value is not None:
            return figure.value, "national return" if figure.national_return_id else "printed"
        if figure.series.held_by_appendix:
            return self.appendix.value(figure.series, figure.year), "appendix"
        return None, ""

    def series_value(self, series, year: int) -> tuple[Decimal | None, NationalFigure | None]:
        """The series' value for a year: its ranking figure's, or the appendix's when the series is held there."""
        self._load_series([series.pk])
        figure = self._best.get((series.pk, year))
        if figure is not None:
            return self.value_of(figure)[0], figure
        if series.held_by_appendix:
            return self.appendix.value(series, year), None
        return None, None

    def plain_rows(self, values_rows) -> list[FigureRow]:
        """``rows`` of ``plain_figure_values`` rows: the same rows, with ``PlainFigure``s instead of instances."""
        self._plain_series = {} if self._plain_series is None else self._plain_series
        return self.rows(plain_figures(values_rows, self._plain_series))

    def rows(self, figures) -> list[FigureRow]:
        figures = list(figures)
        self.appendix.want({year for figure in figures for year in (figure.year, figure.year - 1)})
        self._load_series({figure.series_id for figure in figures})
        return [self.row(figure) for figure in figures]

    def row(self, figure: NationalFigure) -> FigureRow:
        value, origin = self.value_of(figure)
        series = figure.series
        appendix = self.appendix.value(series, figure.year) if series.appendix_relation else None
        previous, previous_figure = self.series_value(series, figure.year - 1)
        comparable = (
            value is not None
            and previous is not None
            and figure.bound == Bound.EXACT
            and (previous_figure is None or previous_figure.bound == Bound.EXACT)
        )
        change = percent = None
        if comparable:
            change = value - previous
            if series.unit.strip() != "%" and previous:
                percent = (change / previous * HUNDRED).quantize(Decimal("0.01"))
        return FigureRow(
            figure=figure,
            value=value,
            value_origin=origin,
            appendix_value=appendix,
            appendix_reference=appendix_reference(series),
            previous_value=previous if comparable else None,
            derived_change=change,
            derived_change_percent=percent,
        )


def _ranked(rows, series_by_id: dict) -> list[PlainFigure]:
    """The series' other figures, with only what ``_rank`` and ``value_of`` read (their series are the page's)."""
    result = []
    for values in rows:
        figure = PlainFigure()
        for name, value in zip(RANK_COLUMNS, values, strict=True):
            setattr(figure, name, value)
        figure.pk = figure.id
        figure.series = series_by_id[figure.series_id]
        result.append(figure)
    return result


def figure_rows(figures) -> list[FigureRow]:
    return FigureReader().rows(figures)


def plain_figure_rows(values_rows) -> list[FigureRow]:
    """``figure_rows`` from ``plain_figure_values`` rows (the API's list: no model instance per figure)."""
    return FigureReader().plain_rows(values_rows)


# ---------------------------------------------------------------------------------------------------------------
# Chapters and headline figures
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chapter:
    document: str
    number: int
    title: str
    count: int

    @property
    def document_label(self) -> str:
        return str(Document(self.document).label)


def chapters() -> list[Chapter]:
    """The reports' chapters that print national figures, in the reports' order, numbered from 1 per report."""
    found: dict[tuple[str, str], int] = {}
    first: dict[tuple[str, str], int] = {}
    for document, chapter, position in (
        NationalFigure.objects.filter(national_return__isnull=True)
        .order_by("document", "position")
        .values_list("document", "chapter", "position")
    ):
        key = (document, chapter)
        found[key] = found.get(key, 0) + 1
        first.setdefault(key, position)
    result, numbers = [], {}
    for (document, chapter), count in sorted(found.items(), key=lambda item: (item[0][0], first[item[0]])):
        numbers[document] = numbers.get(document, 0) + 1
        result.append(Chapter(document, numbers[document], chapter, count))
    return result


def chapter(document: str, number: int) -> Chapter | None:
    return next((c for c in chapters() if c.document == document and c.number == number), None)


def chapter_rows(found: Chapter) -> list[FigureRow]:
    return figure_rows(public_figures().filter(document=found.document, chapter=found.title))


def headline_figures() -> list[NationalFigure]:
    """The report's headline achievements (十四五成就) as printed, in order, for the overview page (one query)."""
    return list(
        public_figures().filter(document=Document.ANNUAL_REPORT_2025, chapter=HEADLINE_CHAPTER, national_return=None)
    )


# ---------------------------------------------------------------------------------------------------------------
# 表 3 indicator values (the national return and the national index)
# ---------------------------------------------------------------------------------------------------------------


def report_indicator_values(year: int, reader: FigureReader | None = None) -> dict[str, SourcedValue]:
    """表 3 code → the value the reports print for ``year`` (its ranking figure), with the sentence."""
    reader = reader or FigureReader()
    figures = (
        public_figures()
        .filter(year=year, national_return__isnull=True, series__indicator__isnull=False)
        .order_by("document", "position")
    )
    best: dict[str, NationalFigure] = {}
    for figure in figures:
        code = figure.series.indicator.code
        if code not in best or _rank(figure) < _rank(best[code]):
            best[code] = figure
    values = {}
    for code, figure in best.items():
        value = in_indicator_unit(reader.value_of(figure)[0], figure.series.unit, figure.series.indicator.unit)
        if value is not None:
            values[code] = SourcedValue(value, figure.source_text, "report", figure.printed)
    return values


SCALES = {"万": Decimal(10000), "亿": Decimal(100000000)}
COUNTS = frozenset({"件", "起"})  # a case is counted as 件 in 表 3 and as 起 in some sentences


def in_indicator_unit(value: Decimal | None, unit: str, indicator_unit: str) -> Decimal | None:
    """``value`` (in the series' printed unit, e.g. 3.7 万起) in the indicator's unit (件): 37000; None when the
    two units cannot be converted (then the printed figure is not the indicator's value)."""
    if value is None:
        return None
    unit, indicator_unit = unit.strip(), indicator_unit.strip()
    scale = Decimal(1)
    if unit[:1] in SCALES and len(unit) > 1 and unit[:1] != indicator_unit[:1]:
        scale, unit = SCALES[unit[:1]], unit[1:]
    if unit == indicator_unit or {unit, indicator_unit} <= COUNTS:
        return value * scale
    return None


def prefilled_indicator_values(year: int) -> dict[str, SourcedValue]:
    """What a national return of ``year`` starts from: the reports' printed values, then other apps' (registry)."""
    values = sourced_values(year)
    values.update(report_indicator_values(year))
    return values


def approved_return(year: int) -> NationalReturn | None:
    return NationalReturn.objects.filter(year=year, state=State.APPROVED).first()


def return_values(national_return: NationalReturn) -> dict[str, NationalFigure]:
    """表 3 code → the return's own figure (what headquarters entered)."""
    return {
        figure.series.indicator.code: figure
        for figure in national_return.figures.select_related("series__indicator").filter(
            series__indicator__isnull=False
        )
    }


def national_indicator_values(year: int) -> dict[str, Decimal]:
    """表 3 indicator code → its value for ``year``: the approved national return's, else the printed figure's,
    else the value another app holds (the registry's published total for No. 21)."""
    values = {code: sourced.value for code, sourced in prefilled_indicator_values(year).items()}
    national_return = approved_return(year)
    if national_return is not None:
        values.update({code: figure.value for code, figure in return_values(national_return).items()})
    return values


def national_indicators():
    return Indicator.objects.filter(framework=Framework.NATIONAL).order_by("position", "pk")
