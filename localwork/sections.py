"""The province page's section for the province's published work summary (see ``dashboards.sections``)."""

from django.utils.translation import gettext as _

from .models import WorkSummary


def work_summary_section(region, year):
    summary = WorkSummary.objects.published().filter(region=region, year=year).select_related("region").first()
    if summary is None:
        return None
    return _("Work summary"), "localwork/province_section.html", {"summary": summary}
