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
                "chapterfigure",
            )
        ]
        # The national return is prepared and approved by headquarters (statistics/national_services.py).
        + [f"statistics.{action}_nationalreturn" for action in ("add", "change", "view")]
        + ["statistics.view_nationalseries", "statistics.view_nationalfigure"],
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
                "chapterfigure",
                "nationalseries",
                "nationalfigure",
            )
        ]
        + ["statistics.view_importrun"]
        + [f"statistics.{action}_nationalreturn" for action in ("add", "change", "delete", "view")],
    }

    def ready(self):
        from .caching import connect_signals

        connect_signals()
        from .national_loading import connect_national_loading

        connect_national_loading()
        from .chapter_services import connect_chapter_loading

        connect_chapter_loading()
