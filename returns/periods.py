"""Which years a return may be started for: the open reporting periods (``ReturnPeriod``) headquarters has set.

A period is open from the moment headquarters defines it (with its deadline) under Reporting periods; a late return
is still accepted after the deadline, as the tracker's "days left" going negative shows. There is no "closed" flag
yet: headquarters closes a year by deleting its period, which only stops new returns for it (existing returns keep
their year). ``start_return`` refuses any other year; the sheet's start (the admin's add page) offers only these.
"""

from django.utils.translation import gettext as _

from .models import AnnualReturn, ReturnPeriod


def open_periods():
    """Every open reporting period, newest year first."""
    return ReturnPeriod.objects.order_by("-year")


def startable_years(region=None) -> list[int]:
    """The open years, without those ``region`` already has a return for."""
    years = list(open_periods().values_list("year", flat=True))
    if region is not None:
        taken = set(AnnualReturn.objects.filter(region=region, year__in=years).values_list("year", flat=True))
        years = [year for year in years if year not in taken]
    return years


def year_refusal(year) -> str | None:
    """Why no return may be started for ``year``, or None when its reporting period is open."""
    try:
        number = int(str(year).strip())
    except (TypeError, ValueError):
        number = None
    years = list(open_periods().values_list("year", flat=True))
    if number is not None and number in years:
        return None
    if not years:
        return _("No reporting period is open: headquarters opens one (with its deadline) under Reporting periods.")
    return _("%(year)s is not an open reporting period; a return can be started for %(years)s.") % {
        "year": year,
        "years": _(", ").join(str(item) for item in years),
    }
