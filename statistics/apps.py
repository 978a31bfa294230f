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
        from .signals import connect_published_version

        connect_published_version()
        from review import hooks

        from .models import NationalReturn
        from .national_services import submission_problems

        hooks.register(NationalReturn, submission_problems=submission_problems)
        from .models import national
        from .national_appendix import appendix_problem

        if appendix_problem not in national.APPENDIX_LINK_CHECKS:
            national.APPENDIX_LINK_CHECKS.append(appendix_problem)
        from .national_loading import connect_national_loading

        connect_national_loading()
        from .chapter_services import connect_chapter_loading

        connect_chapter_loading()
