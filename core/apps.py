from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Cross-app machinery that needs Django's app registry: API tokens (their admin, their signals)."""

    name = "core"
    verbose_name = _("Security")

    # Administrators list and revoke everyone's API tokens (see review/roles.py); every user may revoke their own.
    role_permissions = {"administrator": ["core.view_apitoken", "core.delete_apitoken"]}

    def ready(self):
        from . import page_cache, tokens  # noqa: F401  (tokens connects the receivers that end tokens on a password change)

        page_cache.connect_signals()  # published page data moved: the public pages' cache version moves
