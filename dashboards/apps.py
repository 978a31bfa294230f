from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """Public pages with charts: the national overview, the province map, province pages and foreign origins."""

    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from .sections import collect_app_sections

        collect_app_sections()  # the province page's sections the other apps name (``province_sections``)
