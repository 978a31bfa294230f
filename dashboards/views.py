"""The public dashboards: national overview, province map, province pages and foreign origins.

Views are thin: ``services`` reads the figures (a fixed number of queries per page), the functions below arrange
them into charts (``charts.Chart``), and one template partial draws each chart with its table and download links.
No page needs a login: they show the national statistics, which are published.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.charts import Chart, Column, Link, change_cells, change_columns
from core.downloads import download
from core.names import name_of
from statistics import selectors as national_selectors
from statistics.appendix import TABLES, measure_name
from statistics.models import CountMeasure, PatentMeasure, Region

from . import geo, services
from .measures import DEFAULT_MAP_MEASURE, GROUP_LABELS, MAP_MEASURES, kind_label, label
from .sections import render_sections
from .services import COUNT_NAMES, PATENT_COLUMNS, PATENT_KINDS, PATENT_MEASURES, PATENT_TABLES, TRADEMARK_FIELDS

TOP = 10

PATENT_FOREIGN_TABLES = tuple(TABLES[number].foreign_number for number in PATENT_TABLES.values())
TRADEMARK_KEYS = tuple(measure_name(7, field) for field in TRADEMARK_FIELDS)
GI_KEYS = (COUNT_NAMES[CountMeasure.GI_PRODUCTS], COUNT_NAMES[CountMeasure.GI_MARKS])
IC_KEYS = (COUNT_NAMES[CountMeasure.IC_APPLICATIONS], COUNT_NAMES[CountMeasure.IC_CERTIFICATES])
HEADLINE_KEYS = (
    measure_name(1, "total"),
    measure_name(1, "invention"),
    measure_name(3, "invention"),
    measure_name(5, "invention"),
    *TRADEMARK_KEYS,
    *GI_KEYS,
    *IC_KEYS,
)


# ---------------------------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------------------------


def chosen_year(request, years: list[int]) -> int | None:
    """``?year=`` if figures exist for it, else the latest year; None when nothing is loaded."""
    raw = request.GET.get("year")
    if not raw:
        return years[0] if years else None
    try:
        year = int(raw)
    except ValueError:
        raise Http404(_("“%(year)s” is not a year.") % {"year": raw}) from None
    if year not in years:
        raise Http404(_("No figures are recorded for %(year)s.") % {"year": year})
    return year


def page(request, template: str, basename: str, context: dict):
    """Render the page, or the download of one of its charts when ``?format=`` asks for one."""
    charts = context.get("charts", [])
    response = download(request, charts, basename)
    if response is not None:
        return response
    return render(request, template, context)


def values_at(values: services.Values, keys, year: int) -> list[int | None]:
    return [values.get(key, {}).get(year) for key in keys]


def year_series(values: services.Values, keys, year: int) -> list[dict]:
    """One bar series per year (previous, current) over ``keys``."""
    return [{"name": str(each), "data": values_at(values, keys, each)} for each in (year - 1, year)]


def patents_by_kind(slug: str, title: str, values: services.Values, year: int, extra=None) -> Chart:
    """Bars for filings, grants and patents in force in both years, stacked by kind; a table of every cell.

    ``extra`` adds columns to the table: [(Column, values)] whose current-year figure is shown per row.
    """
    extra = extra or []
    categories, series = [], {kind: [] for kind in PATENT_KINDS}
    for measure in PATENT_MEASURES:
        for each in (year - 1, year):
            categories.append(f"{PatentMeasure(measure).label} {each}")
            for kind in PATENT_KINDS:
                series[kind].append(values.get(measure_name(PATENT_TABLES[measure], kind), {}).get(each))
    rows = []
    for measure in PATENT_MEASURES:
        for kind in PATENT_COLUMNS:
            key = measure_name(PATENT_TABLES[measure], kind)
            cells = [label(key), *change_cells(services.change(values, key, year))]
            rows.append(cells + [other.get(key, {}).get(year) for _column, other in extra])
    return Chart(
        slug,
        title,
        "stacked",
        categories=categories,
        series=[{"name": kind_label(kind), "data": series[kind]} for kind in PATENT_KINDS],
        columns=change_columns(year, Column(_("figure"), "text")) + [column for column, _other in extra],
        rows=rows,
    )


def by_year(slug: str, title: str, keys, values: services.Values, year: int, extra=None) -> Chart:
    """Bars for ``keys`` in the year and the year before; a table with the change."""
    extra = extra or []
    rows = [
        [label(key), *change_cells(services.change(values, key, year))]
        + [other.get(key, {}).get(year) for _column, other in extra]
        for key in keys
    ]
    return Chart(
        slug,
        title,
        "bar",
        categories=[label(key) for key in keys],
        series=year_series(values, keys, year),
        columns=change_columns(year, Column(_("figure"), "text")) + [column for column, _other in extra],
        rows=rows,
    )


def province_link(region) -> Link:
    return Link(name_of(region), reverse("dashboards:province", args=[region.code]))


# ---------------------------------------------------------------------------------------------------------------
# National overview
# ---------------------------------------------------------------------------------------------------------------


def overview(request, template="dashboards/overview.html"):
    years = services.available_years()
    year = chosen_year(request, years)
    context = {"years": years, "year": year, "charts": [], "report_headlines": national_selectors.headline_figures()}
    if year is not None:
        figures = national_selectors.national_totals(year)
        total = figures.grand
        extra = [
            (Column(_("domestic %(year)s") % {"year": year}), figures.domestic),
            (Column(_("foreign %(year)s") % {"year": year}), figures.foreign),
        ]
        context["headlines"] = [(label(key), services.change(total, key, year)) for key in HEADLINE_KEYS]
        context["charts"] = [
            patents_by_kind("patents", _("Patents by kind"), total, year, extra),
            by_year("trademarks", _("Trademarks"), TRADEMARK_KEYS, total, year, extra),
            by_year("gi", _("Geographical indications"), GI_KEYS, total, year, extra),
            by_year("ic", _("IC layout designs"), IC_KEYS, total, year, extra),
        ]
    return page(request, template, f"overview-{year}", context)


# ---------------------------------------------------------------------------------------------------------------
# Province map
# ---------------------------------------------------------------------------------------------------------------


def province_map(request):
    years = services.available_years()
    year = chosen_year(request, years)
    code = request.GET.get("measure") or DEFAULT_MAP_MEASURE
    measure = MAP_MEASURES.get(code)
    if measure is None:
        raise Http404(_("The map cannot show “%(measure)s”.") % {"measure": code})
    groups = {}
    for each in MAP_MEASURES.values():
        groups.setdefault(GROUP_LABELS[each.table], []).append(each)
    context = {"years": years, "year": year, "measure": measure, "measure_groups": groups, "charts": []}
    if year is not None:
        ranked = services.provinces_ranked(measure.key, year)
        context["charts"] = [map_chart(measure, ranked, year), top_chart(measure, ranked, year)]
    return page(request, "dashboards/map.html", f"map-{measure.code}-{year}", context)


def map_chart(measure, ranked: list[services.Ranked], year: int) -> Chart:
    data = [
        {"name": geo.feature_name(entry.entity), "value": entry.change.current}
        for entry in ranked
        if geo.feature_name(entry.entity) and entry.change.current is not None
    ]
    values = [item["value"] for item in data]
    return Chart(
        "map",
        _("%(measure)s by province, %(year)s") % {"measure": measure.label, "year": year},
        "map",
        series=[{"name": measure.label, "data": data}],
        columns=[Column(_("rank")), *change_columns(year, Column(_("region"), "text"))],
        rows=[[entry.rank, province_link(entry.entity), *change_cells(entry.change)] for entry in ranked],
        options={"map": geo.MAP_NAME, "min": min(values, default=0), "max": max(values, default=0)},
        element_id="map",
    )


def top_chart(measure, ranked: list[services.Ranked], year: int) -> Chart:
    top = [entry for entry in ranked if entry.change.current is not None][:TOP]
    return Chart(
        "top10",
        _("Top %(count)s provinces: %(measure)s, %(year)s") % {"count": TOP, "measure": measure.label, "year": year},
        "hbar",
        categories=[name_of(entry.entity) for entry in top],
        series=[{"name": str(year), "data": [entry.change.current for entry in top]}],
        columns=[Column(_("rank")), *change_columns(year, Column(_("region"), "text"))],
        rows=[[entry.rank, province_link(entry.entity), *change_cells(entry.change)] for entry in top],
    )


# ---------------------------------------------------------------------------------------------------------------
# Province page
# ---------------------------------------------------------------------------------------------------------------


def province(request, code: str):
    region = get_object_or_404(Region.objects.select_related("parent"), code=code)
    years = services.available_years()
    year = chosen_year(request, years)
    context = {"region": region, "years": years, "year": year, "charts": [], "parts": list(region.parts.all())}
    if year is not None:
        values = services.region_figures(region, year)
        context["charts"] = [
            patents_by_kind("patents", _("Patents by kind"), values, year),
            by_year("trademarks", _("Trademarks"), TRADEMARK_KEYS, values, year),
            by_year("gi-ic", _("Geographical indications and IC layout designs"), GI_KEYS + IC_KEYS, values, year),
        ]
        context["has_figures"] = bool(values)
        context["sections"] = render_sections(region, year, request)
    return page(request, "dashboards/province.html", f"province-{region.code}-{year}", context)


# ---------------------------------------------------------------------------------------------------------------
# Foreign origins
# ---------------------------------------------------------------------------------------------------------------


def foreign(request):
    years = services.available_years()
    year = chosen_year(request, years)
    context = {"years": years, "year": year, "charts": []}
    if year is not None:
        totals = national_selectors.national_totals(year, tables=PATENT_FOREIGN_TABLES).foreign
        names = [measure_name(PATENT_TABLES[measure], "total") for measure in PATENT_MEASURES]
        context["headlines"] = [(label(name), services.change(totals, name, year)) for name in names]
        context["charts"] = [top_countries(measure, measure, year) for measure in PATENT_MEASURES]
    return page(request, "dashboards/foreign.html", f"foreign-{year}", context)


def top_countries(slug: str, measure: str, year: int) -> Chart:
    key = measure_name(PATENT_TABLES[measure], "total")
    ranked = [entry for entry in services.countries_ranked(key, year) if entry.change.current is not None][:TOP]
    names = [name_of(entry.entity) for entry in ranked]
    return Chart(
        slug,
        _("Top %(count)s countries of origin: %(measure)s, %(year)s")
        % {"count": TOP, "measure": PatentMeasure(measure).label, "year": year},
        "hbar",
        categories=names,
        series=[
            {"name": str(each), "data": [getattr(entry.change, attr) for entry in ranked]}
            for each, attr in ((year - 1, "previous"), (year, "current"))
        ],
        columns=[Column(_("rank")), *change_columns(year, Column(_("country or territory"), "text"))],
        rows=[[entry.rank, name_of(entry.entity), *change_cells(entry.change)] for entry in ranked],
    )
