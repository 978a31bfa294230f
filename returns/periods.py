"""Which years a return may be started for: the open reporting periods (``ReturnPeriod``) headquarters has set.

A period is open from the moment headquarters defines it (with its deadline) under Reporting periods; a late return
is still accepted after the deadline, as the tracker's "days left" going negative shows, until headquarters closes
the period (``ReturnPeriod.closed``). A closed period takes no new returns and no submissions (``closed_refusal``,
which the submission checks ask); returns already submitted are still returned or approved. ``start_return``
refuses any year but an open one; the sheet's start (the admin's add page) offers only these.
"""

from django.utils.translation import gettext as _

from .models import AnnualReturn, ReturnPeriod


def open_periods():
    """Every open reporting period, newest year first."""
    return ReturnPeriod.objects.filter(closed=False).order_by("-year")


def closed_refusal(year) -> str | None:
    """Why no return of ``year`` may be started or submitted: its period is closed (None while it is open, or
    undefined)."""
    if ReturnPeriod.objects.filter(year=year, closed=True).exists():
        return _(
            "The reporting period %(year)s is closed: headquarters no longer accepts returns or submissions for it. "
            "Ask headquarters to open it again."
        ) % {"year": year}
    return None


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
    closed = closed_refusal(number) if number is not None else None
    if closed:
        return closed
    if not years:
        return _("No reporting period is open: headquarters opens one (with its deadline) under Reporting periods.")
    return _("%(year)s is not an open reporting period; a return can be started for %(years)s.") % {
        "year": year,
        "years": _(", ").join(str(item) for item in years),
    }
