from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "statistics"
    verbose_name = _("National statistics")

    # Which of this app's permissions each role holds (see review/roles.py). Headquarters keeps the statistics.
    role_permissions = {
        "officer": [f"statistics.view_{model}" for model in ("region", "country", "indicator", "indicatorgroup")],
        "reviewer": [
            f"statistics.view_{model}"
            for model in (
                "region",
                "country",
                "indicator",
                "indicatorgroup",
                "regionpatentfigure",
                "countrypatentfigure",
                "regiontrademarkfigure",
                "countrytrademarkfigure",
                "regioncountfigure",
                "countrycountfigure",
            )
        ],
        "administrator": [
            f"statistics.{action}_{model}"
            for action in ("add", "change", "delete", "view", "import")
            for model in (
                "region",
                "country",
                "indicator",
                "indicatorgroup",
                "regionpatentfigure",
                "countrypatentfigure",
                "regiontrademarkfigure",
                "countrytrademarkfigure",
                "regioncountfigure",
                "countrycountfigure",
                "foreignroworder",
            )
        ]
        + ["statistics.view_importrun"],
    }

    def ready(self):
        from .caching import connect_signals

        connect_signals()
