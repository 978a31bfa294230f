"""The province page's index section (registered with ``dashboards.sections`` from ``EvaluationConfig.ready``).

The dashboards' year is the statistical year; the index evaluates a year with the returns of ``data_lag`` years
earlier, so the section shows the latest published edition's scores for evaluation year = year + lag. Published
editions only (the page is public); an edition from demonstration returns says 演示数据.
"""

from django.utils.translation import gettext as _

from . import edition_selectors as selectors


def index_section(region, year):
    edition = selectors.edition_for(None, None, None)
    if edition is None:
        return None
    evaluation_year = year + edition.data_lag
    if evaluation_year not in selectors.edition_years(edition):
        return None
    scores = [entry for entry in selectors.province_scores(edition, region) if entry.year == evaluation_year]
    if not scores:
        return None
    rows = selectors.province_breakdown(edition, region, evaluation_year)
    strengths, weaknesses = selectors.strengths_and_weaknesses(rows, 3)
    title = _("Regional IP development index %(year)s") % {"year": evaluation_year}
    if edition.uses_demo_data:
        title = f"{title} (演示数据)"
    context = {
        "edition": edition,
        "evaluation_year": evaluation_year,
        "scores": scores,
        "strengths": strengths,
        "weaknesses": weaknesses,
    }
    return title, "evaluation/province_section.html", context
