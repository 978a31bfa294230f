"""Which years an import may carry: one rule, used by every importer.

A year outside the range cannot be true (a typo such as 3025 for 2025, or 1025), so every importer refuses it
with its sheet, row and column instead of publishing figures for it. The range is ``IMPORT_YEARS`` ("2000-2026"),
from the environment; without it, from 1985 (China's patent law took effect on 1 April 1985) to the current
calendar year in the project's time zone (Asia/Shanghai), because no figures can exist for a year not yet begun.
"""

import datetime
import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from import_export import widgets

FIRST_YEAR = 1985  # the Patent Law of the People's Republic of China took effect in 1985
RANGE = re.compile(r"\s*(\d{4})\s*-\s*(\d{4})\s*")


def import_years() -> tuple[int, int]:
    """(first, last) year an import may carry, both included."""
    text = getattr(settings, "IMPORT_YEARS", "") or ""
    if not text.strip():
        now = datetime.datetime.now(ZoneInfo(settings.TIME_ZONE))
        return FIRST_YEAR, now.year
    match = RANGE.fullmatch(text)
    if not match or int(match.group(1)) > int(match.group(2)):
        raise ImproperlyConfigured(f"IMPORT_YEARS must read like 2000-2026, not {text!r}")
    return int(match.group(1)), int(match.group(2))


def year_problem(year: int) -> str | None:
    """Why ``year`` cannot be imported, or None when it may."""
    first, last = import_years()
    if first <= year <= last:
        return None
    return _("the year %(year)s is outside the years that may be imported (%(first)s–%(last)s)") % {
        "year": year,
        "first": first,
        "last": last,
    }


class ImportYearWidget(widgets.IntegerWidget):
    """The year column of a model resource: a whole number within ``import_years()``, or empty."""

    def clean(self, value, row=None, **kwargs):
        year = super().clean(value, row, **kwargs)
        if year is not None:
            problem = year_problem(int(year))
            if problem:
                raise ValueError(problem)
        return year
