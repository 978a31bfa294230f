from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    """Provincial annual returns: one value per indicator, entered by the province and reviewed by headquarters."""

    name = "returns"
    verbose_name = _("Annual returns")
