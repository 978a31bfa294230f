from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

REGISTRY_MODELS = (
    "city",
    "centre",
    "platform",
    "workstation",
    "centrefigures",
    "platformfigures",
    "provincialcount",
    "publishedtotal",
)


class ProtectionConfig(AppConfig):
    """Registries of IP protection centres, overseas dispute-response platforms and workstations."""

    name = "protection"
    verbose_name = _("Protection registries")

    # Officers read the registry and propose changes; only an approved change writes an entry (models/changes.py).
    role_permissions = {
        "officer": [f"protection.view_{model}" for model in REGISTRY_MODELS]
        + ["protection.add_registrychange", "protection.change_registrychange", "protection.view_registrychange"],
        "reviewer": [f"protection.view_{model}" for model in REGISTRY_MODELS]
        + ["protection.view_registrychange", "protection.change_registrychange"],
        "administrator": [
            f"protection.{action}_{model}"
            for action in ("add", "change", "delete", "view", "import")
            for model in REGISTRY_MODELS
        ]
        + ["protection.view_registrychange", "protection.change_registrychange"],
    }

    province_sections = ("protection.sections.registry_section",)  # on the province page (dashboards)

    def ready(self):
        from statistics.signals import report_data_loaded

        from .loading import load_on_report_data

        report_data_loaded.connect(load_on_report_data, dispatch_uid="protection.load_registry")
        from statistics.national_sources import national_indicator_sources

        from .national_sources import registry_indicator_values

        national_indicator_sources.connect(registry_indicator_values, dispatch_uid="protection.national_sources")
        from returns.sources import register_registry_count

        from .services import operating_count

        register_registry_count(operating_count)  # the annual returns' registry indicators (表4 No. 13, 14)
        from returns.registry_notes import register_reconciliation

        from .services import reconciliation

        register_reconciliation(reconciliation)  # marks a return's registry count when the registry is incomplete
