"""Writes of the national return: headquarters enters the 表 3 values of a year under the one review workflow.

Every entry point (admin, API, shell) calls these functions; they call ``review.services`` for who may do what in
which state and for the version check, so the messages are the workflow's own. A value is stored as a figure of the
indicator's series that belongs to the return (``NationalFigure.national_return``); it becomes public when the
return is approved and is then the series' figure for that year. Nothing is copied, so there is one copy.

A value the reports already print (or the registry holds) need not be typed: the return starts from it
(``selectors.prefilled_indicator_values``) and a value is stored only when headquarters enters one.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from review import services as review
from review.models import Action

from .models import Indicator
from .models.indicators import Framework
from .models.national import Document, NationalFigure, NationalReturn, NationalSeries


class NationalReturnError(review.Invalid):
    """Bad input for a national return (HTTP 400); ``field`` says where."""

    def __init__(self, messages, field: str = ""):
        self.field = field
        super().__init__(messages)


def create_return(user, year: int) -> NationalReturn:
    """A new, empty draft for ``year``; only headquarters staff may create one, and one per year."""
    review.check_can_create(user, None, NationalReturn)
    if NationalReturn.objects.filter(year=year).exists():
        raise NationalReturnError(
            _("A national return for %(year)s exists already; open it instead.") % {"year": year}, "year"
        )
    national_return = NationalReturn(year=year, modified_by=user)
    national_return.full_clean()
    national_return.save()
    return national_return


def _parse(code: str, text) -> Decimal | None:
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        value = Decimal(str(text).strip().replace(",", ""))
    except InvalidOperation:
        raise NationalReturnError(
            _("%(code)s: “%(text)s” is not a number.") % {"code": code, "text": text}, code
        ) from None
    if not value.is_finite():
        raise NationalReturnError(_("%(code)s: “%(text)s” is not a number.") % {"code": code, "text": text}, code)
    if value < 0:
        raise NationalReturnError(
            _("%(code)s: a national value cannot be negative (you entered %(value)s).")
            % {"code": code, "value": value},
            code,
        )
    return value


def series_for(indicator: Indicator) -> NationalSeries:
    """The indicator's series, created (named and measured as the indicator) when no series is linked yet."""
    series = NationalSeries.objects.filter(indicator=indicator).first()
    if series is not None:
        return series
    series = NationalSeries.objects.filter(name_zh=indicator.name_zh, unit=indicator.unit, indicator=None).first()
    if series is None:
        series = NationalSeries(name_zh=indicator.name_zh, unit=indicator.unit)
    series.indicator = indicator
    series.full_clean()
    series.save()
    return series


@transaction.atomic
def save_values(national_return: NationalReturn, user, values: dict, notes: dict | None = None, version=None):
    """Store headquarters' values (表 3 code → number or empty) for the return, against the version read.

    An empty value removes the entered value, so the pre-filled one applies again. Refuses a stale version (409),
    a user who may not edit the return or a locked return (403), and a code or number that is wrong (400); then
    nothing is written. Returns the fresh return (its new version); ``national_return`` itself is left as it was.
    """
    if version is None:
        raise NationalReturnError(_("Say which version of the national return you edited (version)."), "version")
    notes = notes or {}
    indicators = {
        indicator.code: indicator
        for indicator in Indicator.objects.filter(framework=Framework.NATIONAL, code__in=list(values) + list(notes))
    }
    unknown = sorted((set(values) | set(notes)) - set(indicators))
    if unknown:
        raise NationalReturnError(
            _("No 表 3 indicator has the code %(codes)s.") % {"codes": ", ".join(unknown)}, unknown[0]
        )
    parsed = {code: _parse(code, text) for code, text in values.items()}
    locked = review.guard_edit(national_return, user, version)
    own = {figure.series.indicator.code: figure for figure in locked.figures.select_related("series__indicator")}
    for code in sorted(set(parsed) | set(notes)):
        indicator = indicators[code]
        value = parsed.get(code, own[code].value if code in own else None)
        figure = own.get(code)
        if value is None:
            if figure is not None:
                figure.delete()
            continue
        if figure is None:
            figure = NationalFigure(
                national_return=locked,
                series=series_for(indicator),
                year=locked.year,
                document=Document.NATIONAL_RETURN,
            )
        figure.value = value
        figure.printed = f"{value.normalize():f} {indicator.unit}"
        figure.chapter = str(NationalReturn._meta.verbose_name)
        figure.note = notes.get(code, figure.note)
        figure.source_text = figure.note
        figure.full_clean()
        figure.save()
    return locked


def transition(national_return: NationalReturn, action: str, user, comment: str = "", version=None):
    """Submit, return, approve or reopen: the workflow's own transition (another headquarters user approves)."""
    if version is None:
        raise NationalReturnError(_("Say which version of the national return you acted on (version)."), "version")
    return review.transition(national_return, Action(action), user, comment, version)


def submission_problems(national_return: NationalReturn) -> list[str]:
    """A return is submitted when every required 表 3 indicator has a value (entered, printed or from the
    registry), and it holds at least one value at all."""
    from .selectors import national_indicators, prefilled_indicator_values

    entered = {figure.series.indicator.code for figure in national_return.figures.select_related("series__indicator")}
    prefilled = set(prefilled_indicator_values(national_return.year))
    missing = [
        indicator
        for indicator in national_indicators().filter(required=True)
        if indicator.code not in entered and indicator.code not in prefilled
    ]
    problems = []
    if not entered and not prefilled:
        problems.append(
            _("The national return for %(year)s holds no value: enter at least one.") % {"year": national_return.year}
        )
    return problems + [
        _("%(code)s %(name)s: enter the %(year)s value; neither the reports nor the registry give one.")
        % {"code": indicator.code, "name": indicator.name_zh, "year": national_return.year}
        for indicator in missing
    ]
