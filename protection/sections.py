"""The province page's section for the province's protection centres and overseas platforms operating at the end of
the year (approved registry entries only; see ``dashboards.sections``)."""

from django.utils.translation import gettext as _

from .models import Centre, Platform
from .services import operating_entries


def registry_section(region, year):
    centres = list(operating_entries(Centre, year).filter(region=region).order_by("name"))
    platforms = list(operating_entries(Platform, year).filter(region=region).order_by("name"))
    if not centres and not platforms:
        return None
    context = {"centres": centres, "platforms": platforms}
    return _("Protection centres and overseas platforms"), "protection/province_section.html", context
