"""The province page's section for the province's approved annual return (see ``dashboards.sections``)."""

from django.utils.translation import gettext as _

from review.models import State

from .models import AnnualReturn
from .sheet import build_sheet


def approved_return_section(region, year):
    annual_return = AnnualReturn.objects.filter(region=region, year=year, state=State.APPROVED).first()
    if annual_return is None:
        return None
    return _("Approved annual return"), "returns/province_section.html", {"sheet": build_sheet(annual_return)}
