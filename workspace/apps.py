from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The landing page after login: what waits for the signed-in person, by role. Reads only; no models."""

    name = "workspace"
    verbose_name = _("Workspace")
