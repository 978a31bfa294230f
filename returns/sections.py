"""The province page's section for the province's approved annual return (see ``dashboards.sections``).

A return that headquarters reopened keeps showing its last approved version, marked as under revision, until it is
approved again: the page is public and shows only approved data, as the registry does with its pending changes.
"""

from django.utils.translation import gettext as _

from review.models import State

from .models import AnnualReturn
from .provenance import is_demonstration
from .registry_notes import mark_rows
from .revisions import approved_version


def approved_return_section(region, year):
    annual_return = AnnualReturn.objects.filter(region=region, year=year).exclude(state=State.DRAFT).first()
    if annual_return is None:
        return None
    approved = approved_version(annual_return)
    if approved is None:
        return None
    mark_rows(approved.sheet, year)
    context = {
        "sheet": approved.sheet,
        "approved": approved,
        "under_revision": approved.under_revision,
        "demonstration": is_demonstration(annual_return),
    }
    return _("Approved annual return"), "returns/province_section.html", context
