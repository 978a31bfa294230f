"""The province page's section for the province's approved annual return (see ``dashboards.sections``)."""

from django.utils.translation import gettext as _

from review.models import State

from .models import AnnualReturn
from .provenance import is_demonstration
from .sheet import build_sheet


def approved_return_section(region, year):
    annual_return = AnnualReturn.objects.filter(region=region, year=year, state=State.APPROVED).first()
    if annual_return is None:
        return None
    context = {"sheet": build_sheet(annual_return), "demonstration": is_demonstration(annual_return)}
    return _("Approved annual return"), "returns/province_section.html", context
