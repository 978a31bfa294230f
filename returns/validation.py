"""The checks a return must pass before it can be submitted. Every failing indicator is listed, each message
naming the indicator by its printed number and name, so the officer can find it in the grid.

The same checks run while the officer types (``returns.sheet_api.check``) over the typed, unsaved values: the rules
live here only. A computed value cannot be corrected itself, so its problem is shown at, and names, the values it
is computed from. Numbers read as ``core.numbers`` formats them (``5,061.45``).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.numbers import format_number
from statistics.formulas import inputs_of
from statistics.models import Source

from .periods import closed_refusal
from .sheet import build_sheet
from .sources import prefilled_values


@dataclass(frozen=True)
class Problem:
    """One failing check: ``code`` is the row the message belongs to (for a computed value, the first input to
    correct), ``rows`` every row the officer may correct."""

    code: str
    message: str
    rows: tuple = ()


def _name(indicator) -> str:
    return (
        _("No. %(number)s %(name)s") % {"number": indicator.number, "name": indicator.name_zh}
        if indicator.number
        else indicator.name_zh
    )


def _number(value) -> str:
    return format_number(value)


def submission_problems(annual_return) -> list[str]:
    """What stops a submission: a closed reporting period first, then every failing value."""
    closed = closed_refusal(annual_return.year)
    return ([closed] if closed else []) + [problem.message for problem in problems(annual_return)]


def problems_by_indicator(annual_return, typed: dict | None = None) -> list[tuple[str, str]]:
    """(indicator code, message) for every failing check, in the sheet's order."""
    return [(problem.code, problem.message) for problem in problems(annual_return, typed)]


def problems(annual_return, typed: dict | None = None) -> list[Problem]:
    """Every failing check of the return, or of the return with ``typed`` (see ``build_sheet``) in place."""
    sheet = build_sheet(annual_return, typed)
    rows = sheet.rows
    by_code = {row.code: row for row in rows}
    held = prefilled_values(annual_return.region, annual_return.year, [row.indicator for row in rows if row.prefilled])
    found = []
    for row in rows:
        messages = _row_problems(annual_return, row, held)
        if not messages:
            continue
        if row.computed:
            inputs = _leaf_inputs(row.indicator, by_code)
            typed_inputs = tuple(code for code in inputs if by_code[code].entered) or inputs
            named = _(", ").join(_name(by_code[code].indicator) for code in inputs)
            for message in messages:
                text = _("%(problem)s It is computed from %(inputs)s; correct those values.") % {
                    "problem": message,
                    "inputs": named,
                }
                found.append(Problem(typed_inputs[0] if typed_inputs else row.code, text, typed_inputs))
        else:
            found += [Problem(row.code, message, (row.code,)) for message in messages]
    return found


def _leaf_inputs(indicator, by_code) -> tuple:
    """The values a computed indicator is computed from, through ratios of ratios, in formula order."""
    found, pending, seen = [], list(inputs_of(indicator.formula)), set()
    while pending:
        code = pending.pop(0)
        if code in seen or code not in by_code:
            continue
        seen.add(code)
        row = by_code[code]
        if row.computed:
            pending[:0] = inputs_of(row.indicator.formula)
        else:
            found.append(code)
    return tuple(found)


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
