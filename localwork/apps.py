from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalworkConfig(AppConfig):
    name = "localwork"
    verbose_name = _("Provincial work")
