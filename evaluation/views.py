"""The index pages: national index, regional ranking and averages, a province's breakdown, and the method.

They reuse the dashboards' charts (``core.charts.Chart``: drawn by ECharts, shown as a table, downloadable as
CSV/XLSX) and layout. Computed scores are read from the edition that stores them (``edition_selectors``), the
report's printed figures from ``PublishedResult``; the two are shown side by side in separate columns and never
combined. An edition computed from demonstration returns says so (演示数据) on the page and in every download.

Headquarters may look at any edition (``?edition=<id>``), drafts and embargoed ones included; everyone else sees
the latest published edition whose embargo has passed.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.charts import Chart, Column, Link
from core.downloads import download
from dashboards import geo
from statistics.models import Region

from . import edition_selectors as selectors
from .edition_services import describe_national, describe_warning
from .models import Edition, ImputationFlag, Status
from .models.editions import NORMALISATION_CHOICES

TOP_MOVERS = 5
NORMALISATION_LABELS = dict(NORMALISATION_CHOICES)
CACHE_SECONDS = 24 * 3600


def score(value, places: str = "0.01") -> Decimal | None:
    """A score as the report prints it (two decimals); None stays None."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def computed_label(edition: Edition | None, text: str) -> str:
    """A computed column's heading; with demonstration data it says so, so that every download says it too."""
    if edition is not None and edition.uses_demo_data:
        return _("%(column)s (demonstration data, 演示数据)") % {"column": text}
    return text


def chosen_edition(request, year: int | None = None) -> Edition | None:
    """``?edition=`` (if the user may see it), else the latest published edition with scores for ``year``."""
    wanted = request.GET.get("edition")
    edition = selectors.edition_for(request.user, wanted, year)
    if wanted and edition is None:
        raise Http404(_("There is no edition “%(edition)s” that you may see.") % {"edition": wanted})
    if year is not None and edition is None:
        raise Http404(_("No published edition has scores for %(year)s.") % {"year": year})
    return edition


def asked_year(request) -> int | None:
    raw = request.GET.get("year")
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise Http404(_("“%(year)s” is not a year.") % {"year": raw}) from None


def chosen_year(request, years: list[int], preferred: list[int] | None = None) -> int | None:
    """``?year=`` when the edition has it; otherwise the latest year that also has printed figures, else the
    latest year."""
    raw = request.GET.get("year")
    if raw:
        try:
            year = int(raw)
        except ValueError:
            raise Http404(_("“%(year)s” is not a year.") % {"year": raw}) from None
        if year not in years:
            raise Http404(_("The edition has no scores for %(year)s.") % {"year": year})
        return year
    for year in years:
        if preferred and year in preferred:
            return year
    return years[0] if years else None


def chosen_component(request, components):
    raw = request.GET.get("component")
    if not raw:
        return None
    for component in components:
        if str(component.pk) == raw:
            return component
    raise Http404(_("The index has no sub-index “%(component)s”.") % {"component": raw})


def render_page(request, template: str, basename: str, context: dict):
    response = download(request, context.get("charts", []), basename)
    if response is not None:
        return response
    context.setdefault("edition_choices", selectors.visible_editions(request.user)[:30])
    return render(request, template, context)


def cached(edition: Edition, what: tuple, build) -> dict:
    """What ``build()`` returns for this edition, from the cache when it is there.

    An edition's scores change only through a version-checked write, and every such write moves its ``version``;
    the key holds the version (and the language of the labels), so a cached entry can never be stale.
    """
    key = ":".join(map(str, ("evaluation", edition.pk, edition.version, get_language(), *what)))
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_SECONDS)
    return value


def fragment_key(request, edition: Edition) -> str:
    """The key of a page's cached chart fragment: the edition's version and the query (the download links
    repeat it)."""
    return f"{edition.pk}:{edition.version}:{request.GET.urlencode()}"


def component_name(component) -> str:
    if component is None:
        return _("composite")
    return component.subindex_name_zh or component.name_zh


def index_link(view: str, edition: Edition, **query) -> str:
    url = reverse(f"evaluation:{view}", kwargs=query.pop("kwargs", {}))
    params = "&".join(f"{key}={value}" for key, value in {"edition": edition.pk, **query}.items() if value)
    return f"{url}?{params}" if params else url


# ---------------------------------------------------------------------------------------------------------------
# /index/: the national index
# ---------------------------------------------------------------------------------------------------------------


def national(request):
    edition = chosen_edition(request)
    printed = selectors.published_national()
    computed = selectors.national_series(edition)
    components = selectors.national_components()
    printed_at = {(result.year, result.component_id): result for result in printed}
    computed_at = {(row.year, row.component_id): row for row in computed}
    years = sorted({year for year, _c in printed_at} | {year for year, _c in computed_at})
    charts = []
    if years:
        charts.append(national_by_year(edition, years, printed_at, computed_at))
        charts.append(national_components_chart(edition, years, components, printed_at, computed_at))
    context = {
        "edition": edition,
        "charts": charts,
        "national_note": describe_national(edition.inputs.get("national", {})) if edition else "",
        "has_computed": bool(computed),
    }
    return render_page(request, "evaluation/national.html", "index-national", context)


def national_by_year(edition, years, printed_at, computed_at) -> Chart:
    rows = []
    for year in years:
        result, row = printed_at.get((year, None)), computed_at.get((year, None))
        rows.append(
            [
                str(year),
                score(result.value, "0.1") if result else None,
                score(result.change, "0.1") if result and result.change is not None else None,
                result.get_status_display() if result else None,
                score(row.value) if row else None,
                score(row.link, "0.0001") if row and row.link is not None else None,
            ]
        )
    series = [{"name": _("printed"), "data": [row[1] for row in rows]}]
    if computed_at:
        series.append({"name": computed_label(edition, _("computed")), "data": [row[4] for row in rows]})
    return Chart(
        "national",
        _("IP-power index (2021 = 100) by year"),
        "bar",
        categories=[str(year) for year in years],
        series=[{**each, "data": [float(v) if v is not None else None for v in each["data"]]} for each in series],
        columns=[
            Column(_("year"), "text"),
            Column(_("printed")),
            Column(_("printed change"), "delta"),
            Column(_("status"), "text"),
            Column(computed_label(edition, _("computed"))),
            Column(computed_label(edition, _("link factor"))),
        ],
        rows=rows,
        note=_("Printed: the 2025 report; “derived” = this year's score minus its printed increment."),
    )


def national_components_chart(edition, years, components, printed_at, computed_at) -> Chart:
    series, rows = [], []
    printed_years = [year for year in years if any((year, c.pk) in printed_at for c in components)]
    for year in printed_years:
        series.append(
            {
                "name": _("printed %(year)s") % {"year": year},
                "data": [_float(printed_at.get((year, c.pk)), "value") for c in components],
            }
        )
    computed_years = [year for year in years if any((year, c.pk) in computed_at for c in components)]
    for year in computed_years[-2:]:
        series.append(
            {
                "name": computed_label(edition, _("computed %(year)s") % {"year": year}),
                "data": [_float(computed_at.get((year, c.pk)), "value") for c in components],
            }
        )
    for component in components:
        cells = [component_name(component), component.indicator_count]
        for year in printed_years:
            result = printed_at.get((year, component.pk))
            cells.append(score(result.value, "0.1") if result else None)
        for year in computed_years[-2:]:
            row = computed_at.get((year, component.pk))
            cells.append(score(row.value) if row else None)
        rows.append(cells)
    columns = [Column(_("sub-index"), "text"), Column(_("indicators"))]
    columns += [Column(_("printed %(year)s") % {"year": year}) for year in printed_years]
    columns += [
        Column(computed_label(edition, _("computed %(year)s") % {"year": year})) for year in computed_years[-2:]
    ]
    return Chart(
        "subindices",
        _("The six sub-indices"),
        "bar",
        categories=[component_name(c) for c in components],
        series=series,
        columns=columns,
        rows=rows,
    )


def _float(obj, attribute):
    value = getattr(obj, attribute, None) if obj is not None else None
    return float(value) if value is not None else None


# ---------------------------------------------------------------------------------------------------------------
# /index/regions/: map, ranking with rank intervals, averages beside the printed ones
# ---------------------------------------------------------------------------------------------------------------


def regions(request):
    edition = chosen_edition(request, asked_year(request))
    components = selectors.regional_components()
    component = chosen_component(request, components)
    context = {"edition": edition, "components": components, "component": component, "charts": []}
    if edition is None:
        return render_page(request, "evaluation/regions.html", "index-regions", context)
    years = selectors.edition_years(edition)
    year = chosen_year(request, years, selectors.printed_regional_years())
    context.update({"years": years, "year": year, "unstable_width": edition.unstable_width})
    context.update(
        cached(
            edition,
            ("regions", year, component.pk if component else 0),
            lambda: regions_charts(edition, year, component),
        )
    )
    context["fragment_key"] = fragment_key(request, edition)
    slug = f"index-regions-{year}-{component.pk if component else 'composite'}"
    return render_page(request, "evaluation/regions.html", slug, context)


def regions_charts(edition, year, component) -> dict:
    ranked = selectors.ranking(edition, year, component)
    before = selectors.previous_scores(edition, year, component)
    comparison = [row for row in selectors.regional_comparison(edition, year) if row.component == component]
    return {
        "charts": [
            regional_map(edition, ranked, year, component),
            regional_ranking(edition, ranked, before, year, component),
            regional_averages(edition, comparison, year, component),
        ],
        "unstable": [entry.region.name_zh for entry in ranked if entry.unstable],
    }


def province_index_link(edition, region, year) -> Link:
    return Link(region.name_zh, index_link("province", edition, year=year, kwargs={"code": region.code}))


def rank_interval(entry) -> str:
    if entry.rank_low is None:
        return ""
    return f"{entry.rank_low}–{entry.rank_high}" if entry.rank_low != entry.rank_high else str(entry.rank_low)


def regional_map(edition, ranked, year, component) -> Chart:
    data = [
        {"name": geo.feature_name(entry.region), "value": float(score(entry.value))}
        for entry in ranked
        if entry.value is not None and geo.feature_name(entry.region)
    ]
    values = [item["value"] for item in data]
    return Chart(
        "map",
        computed_label(
            edition, _("%(component)s by province, %(year)s") % {"component": component_name(component), "year": year}
        ),
        "map",
        series=[{"name": component_name(component), "data": data}],
        columns=[Column(_("province"), "text"), Column(computed_label(edition, _("score")))],
        rows=[[entry.region.name_zh, score(entry.value)] for entry in ranked],
        options={"map": geo.MAP_NAME, "min": min(values, default=0), "max": max(values, default=0)},
        element_id="map",
    )


def regional_ranking(edition, ranked, before, year, component) -> Chart:
    rows = []
    for entry in ranked:
        earlier = before.get(entry.region_id)
        change = entry.value - earlier if entry.value is not None and earlier is not None else None
        rows.append(
            [
                entry.rank,
                province_index_link(edition, entry.region, year),
                score(entry.value),
                score(change),
                rank_interval(entry),
                _("unstable") if entry.unstable else "",
            ]
        )
    scored = [entry for entry in ranked if entry.value is not None]
    return Chart(
        "ranking",
        computed_label(
            edition, _("Ranking: %(component)s, %(year)s") % {"component": component_name(component), "year": year}
        ),
        "hbar",
        categories=[entry.region.name_zh for entry in scored],
        series=[{"name": component_name(component), "data": [float(score(entry.value)) for entry in scored]}],
        columns=[
            Column(_("rank")),
            Column(_("province"), "text"),
            Column(computed_label(edition, _("score"))),
            Column(_("change"), "delta"),
            Column(_("rank interval (5th–95th percentile)"), "text"),
            Column(_("rank stability"), "text"),
        ],
        rows=rows,
        note=_(
            "Rank interval: the 5th to 95th percentile of the province's rank over %(draws)s Monte Carlo draws that "
            "perturb the weights around the edition's and switch between the normalisations %(normalisations)s."
        )
        % {
            "draws": edition.inputs.get("mc_draws", edition.mc_draws),
            "normalisations": _(", ").join(
                str(NORMALISATION_LABELS.get(name, name)) for name in edition.inputs.get("mc_normalisations", [])
            ),
        },
    )


def regional_averages(edition, comparison, year, component) -> Chart:
    rows = []
    for row in comparison:
        printed = row.published
        rows.append(
            [
                row.scope.name_zh,
                row.members,
                score(row.computed),
                score(row.computed_change),
                score(printed.value) if printed and printed.value is not None else None,
                score(printed.change) if printed and printed.change is not None else None,
                printed.get_status_display() if printed else "",
            ]
        )
    return Chart(
        "averages",
        _("Averages of the four regions and the strategic regions: computed beside printed, %(component)s, %(year)s")
        % {"component": component_name(component), "year": year},
        "bar",
        categories=[row.scope.name_zh for row in comparison],
        series=[
            {
                "name": computed_label(edition, _("computed")),
                "data": [float(score(row.computed)) if row.computed is not None else None for row in comparison],
            },
            {
                "name": _("printed in the report"),
                "data": [
                    float(row.published.value) if row.published and row.published.value is not None else None
                    for row in comparison
                ],
            },
        ],
        columns=[
            Column(_("scope"), "text"),
            Column(_("provinces")),
            Column(computed_label(edition, _("computed"))),
            Column(computed_label(edition, _("computed change")), "delta"),
            Column(_("printed")),
            Column(_("printed change"), "delta"),
            Column(_("status"), "text"),
        ],
        rows=rows,
        note=_(
            "Printed figures are the report's (2025); computed ones are this edition's arithmetic on the approved "
            "returns. The two are never mixed: the report prints no province's score."
        ),
    )


# ---------------------------------------------------------------------------------------------------------------
# /index/province/<code>/: the breakdown by indicator
# ---------------------------------------------------------------------------------------------------------------


def province(request, code: str):
    region = get_object_or_404(Region, code=code)
    edition = chosen_edition(request, asked_year(request))
    context = {"edition": edition, "region": region, "charts": []}
    if edition is None:
        return render_page(request, "evaluation/province.html", f"index-{code}", context)
    years = selectors.edition_years(edition)
    year = chosen_year(request, years)
    rows = selectors.province_breakdown(edition, region, year)
    scores = [entry for entry in selectors.province_scores(edition, region) if entry.year == year]
    strengths, weaknesses = selectors.strengths_and_weaknesses(rows, TOP_MOVERS)
    context.update(
        {
            "years": years,
            "year": year,
            "scores": scores,
            "strengths": strengths,
            "weaknesses": weaknesses,
            "charts": [movers_chart(edition, strengths, weaknesses, year), breakdown_chart(edition, rows, year)]
            if rows
            else [],
        }
    )
    return render_page(request, "evaluation/province.html", f"index-{code}-{year}", context)


def indicator_label(row) -> str:
    slot = row.indicator
    return f"{slot.number}. {slot.catalogue_indicator.name_zh}"


def movers_chart(edition, strengths, weaknesses, year) -> Chart:
    movers = strengths + weaknesses
    return Chart(
        "movers",
        computed_label(edition, _("Strengths and weaknesses, %(year)s") % {"year": year}),
        "hbar",
        categories=[indicator_label(row) for row in movers],
        series=[
            {
                "name": _("points against the mean"),
                "data": [float(score(row.points_vs_mean, "0.001")) for row in movers],
            }
        ],
        columns=[
            Column(_("indicator"), "text"),
            Column(computed_label(edition, _("points against the mean")), "delta"),
            Column(_("normalised")),
            Column(_("effective weight (%)")),
        ],
        rows=[
            [
                indicator_label(row),
                score(row.points_vs_mean, "0.001"),
                score(row.normalised),
                score(row.weight * 100, "0.01"),
            ]
            for row in movers
        ],
        note=_(
            "What the indicator adds to (or takes from) the composite against a province with the mean normalised "
            "value: effective weight × (normalised − mean normalised)."
        ),
    )


def breakdown_chart(edition, rows, year) -> Chart:
    return Chart(
        "breakdown",
        computed_label(edition, _("Every indicator's path, %(year)s") % {"year": year}),
        "hbar",
        categories=[indicator_label(row) for row in rows if row.weight > 0],
        series=[
            {
                "name": _("points"),
                "data": [float(score(row.points, "0.001")) for row in rows if row.weight > 0],
            }
        ],
        columns=[
            Column(_("indicator"), "text"),
            Column(_("group"), "text"),
            Column(computed_label(edition, _("value used"))),
            Column(_("imputation"), "text"),
            Column(_("normalised")),
            Column(_("effective weight (%)")),
            Column(_("points")),
            Column(_("points against the mean"), "delta"),
        ],
        rows=[
            [
                indicator_label(row),
                str(row.indicator.group) if row.indicator.group else "",
                score(row.raw, "0.0001"),
                ImputationFlag(row.flag).label if row.flag else "",
                score(row.normalised),
                score(row.weight * 100, "0.01"),
                score(row.points, "0.001"),
                score(row.points_vs_mean, "0.001"),
            ]
            for row in rows
        ],
        note=_("Raw value → normalised → effective weight → points; the points add up to the composite."),
    )


# ---------------------------------------------------------------------------------------------------------------
# /index/method/: the edition's method, fitted weights and residuals, revision log
# ---------------------------------------------------------------------------------------------------------------


def fit_method_label(method: str) -> str:
    """The fit's method, as ``evaluation.selectors`` names it, in the reader's language."""
    if method.startswith("constrained least squares"):
        return _("least squares, the weights summing to 1 and none negative")
    return method


def scheme_label(name: str) -> str:
    """A named weighting scheme of the national index (``selectors.national_scheme_comparison``), in words."""
    if name == "equal":
        return _("equal weights")
    if name == "indicator_count":
        return _("weights proportional to the groups' indicator counts")
    if name.startswith("nearest_to_equal_exact_"):
        return _("the weights nearest to equal that give the printed %(year)s composite exactly") % {
            "year": name.rsplit("_", 1)[-1]
        }
    return name


METHOD_DISPLAY = (
    "data_lag",
    "normalisation",
    "scale_low",
    "scale_high",
    "zscore_centre",
    "zscore_spread",
    "ratio_base_year",
    "aggregation",
    "missing_rule",
    "weights_source",
    "national_base_year",
    "national_chaining",
    "mc_draws",
    "mc_concentration",
    "mc_seed",
    "unstable_width",
)


def method(request):
    edition = chosen_edition(request)
    context = {"edition": edition, "charts": []}
    if edition is None:
        return render_page(request, "evaluation/method.html", "index-method", context)
    settings_rows = []
    for name in METHOD_DISPLAY:
        field = Edition._meta.get_field(name)
        value = getattr(edition, f"get_{name}_display")() if field.choices else getattr(edition, name)
        settings_rows.append((field.verbose_name, value, field.help_text))
    components = selectors.regional_components()
    pillar_weights = (edition.weights or {}).get("pillars", {})
    total = sum(pillar_weights.get(c.name_zh, 1.0) for c in components) or 1.0
    weight_rows = [
        [
            component_name(c),
            score(pillar_weights.get(c.name_zh, 1.0) / total, "0.0001"),
            edition.get_weights_source_display(),
        ]
        for c in components
    ]
    fit = (edition.weight_fit or {}).get("regional", {})
    residuals = fit.get("residuals", [])
    charts = [
        Chart(
            "weights",
            _("First-level weights of the regional composite"),
            "bar",
            categories=[row[0] for row in weight_rows],
            series=[{"name": _("weight"), "data": [float(row[1]) for row in weight_rows]}],
            columns=[Column(_("sub-index"), "text"), Column(_("weight")), Column(_("source"), "text")],
            rows=weight_rows,
        )
    ]
    if residuals:
        charts.append(
            Chart(
                "residuals",
                _("Residuals of the fit: composite from the fitted weights minus the printed composite"),
                "bar",
                categories=[f"{r['scope']} {r['year']}" for r in residuals],
                series=[{"name": _("residual"), "data": [r["residual"] for r in residuals]}],
                columns=[
                    Column(_("scope"), "text"),
                    Column(_("year"), "text"),
                    Column(_("status"), "text"),
                    Column(_("printed")),
                    Column(_("fitted")),
                    Column(_("residual"), "delta"),
                ],
                rows=[
                    [
                        r["scope"],
                        str(r["year"]),
                        Status(r["status"]).label if r.get("status") in Status.values else r.get("status", ""),
                        score(r["published"]),
                        score(r["fitted"], "0.0001"),
                        score(r["residual"], "0.0001"),
                    ]
                    for r in residuals
                ],
            )
        )
    fit_all = edition.weight_fit or {}
    lower = sorted(code for code, direction in (edition.directions or {}).items() if direction == "lower")
    scored = selectors.components_with_scores(edition)
    without_values = [component_name(c) for c in components if c.pk not in scored]
    revisions = list(edition.revision_log.select_related("previous", "by"))
    context.update(
        {
            "settings_rows": settings_rows,
            "charts": charts,
            "fit": edition.weight_fit or {},
            "lower_is_better": lower,
            "fit_method": fit_method_label(fit_all.get("regional", {}).get("method", "")),
            "best_scheme": scheme_label((fit_all.get("national") or {}).get("best") or ""),
            "without_values": without_values,
            "revisions": [
                {"entry": entry, "warnings": [describe_warning(w) for w in entry.warnings]} for entry in revisions
            ],
            "input_warnings": [describe_warning(w) for w in edition.inputs.get("warnings", [])],
            "inputs": edition.inputs,
            "placeholders": edition.inputs.get("placeholders", []),
        }
    )
    return render_page(request, "evaluation/method.html", f"index-method-{edition.pk}", context)
