from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalworkConfig(AppConfig):
    """Provincial work summaries (reviewed through ``review``) and the typical cases."""

    name = "localwork"
    verbose_name = _("Provincial work")

    # Which of this app's permissions each role holds (see review/roles.py). The review services narrow them down
    # further: an officer edits only the own region's summary while it is open, headquarters only reads and reviews.
    role_permissions = {
        "officer": [
            *(f"localwork.{action}_worksummary" for action in ("add", "change", "delete", "view")),
            *(f"localwork.{action}_attachment" for action in ("add", "change", "delete", "view")),
            "localwork.view_typicalcase",
        ],
        "reviewer": ["localwork.view_worksummary", "localwork.view_attachment", "localwork.view_typicalcase"],
        "administrator": [
            "localwork.view_worksummary",
            "localwork.view_attachment",
            *(f"localwork.{action}_typicalcase" for action in ("add", "change", "delete", "view", "import")),
        ],
    }

    province_sections = ("localwork.sections.work_summary_section",)  # on the province page (dashboards)

    def ready(self):
        from statistics.signals import report_data_loaded

        from .services import report_data_loaded as load_summaries

        report_data_loaded.connect(load_summaries, dispatch_uid="localwork.load_report_summaries")
