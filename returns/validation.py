"""The checks a return must pass before it can be submitted. Every failing indicator is listed, each message
naming the indicator by its printed number and name, so the officer can find it in the grid."""

from django.utils.translation import gettext as _

from statistics.models import Source

from .sheet import build_sheet
from .sources import prefilled_values


def _name(indicator) -> str:
    return (
        _("No. %(number)s %(name)s") % {"number": indicator.number, "name": indicator.name_zh}
        if indicator.number
        else indicator.name_zh
    )


def _number(value) -> str:
    return f"{value.normalize():f}"


def submission_problems(annual_return) -> list[str]:
    return [message for _code, message in problems_by_indicator(annual_return)]


def problems_by_indicator(annual_return) -> list[tuple[str, str]]:
    """(indicator code, message) for every failing check, in the sheet's order."""
    sheet = build_sheet(annual_return)
    rows = sheet.rows
    held = prefilled_values(annual_return.region, annual_return.year, [row.indicator for row in rows if row.prefilled])
    return [(row.code, message) for row in rows for message in _row_problems(annual_return, row, held)]


def _row_problems(annual_return, row, held) -> list[str]:
    problems = []
    indicator, value, name = row.indicator, row.value, _name(row.indicator)
    if row.text:
        problems.append(_("%(name)s: “%(text)s” is not a number.") % {"name": name, "text": row.text})
        return problems
    if value is None:
        if row.computed or not indicator.required:
            return problems  # a computed value's missing inputs are reported themselves
        if indicator.source == Source.NATIONAL_STATISTICS:
            problems.append(
                _("%(name)s: the national statistics hold no approved figure for %(region)s in %(year)s yet.")
                % {"name": name, "region": annual_return.region, "year": annual_return.year}
            )
        elif indicator.source == Source.REGISTRY:
            problems.append(
                _("%(name)s: the protection registry holds no approved count for %(region)s in %(year)s yet.")
                % {"name": name, "region": annual_return.region, "year": annual_return.year}
            )
        else:
            problems.append(_("%(name)s: a value is required.") % {"name": name})
        return problems
    if value < 0:
        problems.append(_("%(name)s: %(value)s is negative.") % {"name": name, "value": _number(value)})
    if indicator.is_percentage and not 0 <= value <= 100:
        problems.append(
            _("%(name)s: %(value)s%% is not a percentage between 0 and 100.") % {"name": name, "value": _number(value)}
        )
    if row.prefilled and indicator.pk in held and held[indicator.pk] != value:
        problems.append(
            _("%(name)s: %(value)s differs from the approved figure %(held)s; save the return to take it over.")
            % {
                "name": name,
                "value": _number(value),
                "held": "—" if held[indicator.pk] is None else _number(held[indicator.pk]),
            }
        )
    if row.entered and row.beyond_threshold and not row.note.strip():
        problems.append(
            _(
                "%(name)s: %(value)s changes by more than %(threshold)s%% against last year's approved "
                "%(last)s; add a note that explains it."
            )
            % {
                "name": name,
                "value": _number(value),
                "threshold": _number(row.threshold),
                "last": _number(row.last_year),
            }
        )
    return problems
