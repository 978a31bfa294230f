from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """The IP-power index (知识产权强国建设指数) and the regional IP development index (地区知识产权发展指数)."""

    name = "evaluation"
    verbose_name = _("IP-power index")
    default_auto_field = "django.db.models.BigAutoField"

    # Index editions (h7): headquarters prepares, computes and approves them in the admin; who may do what to which
    # edition is decided by review.services and evaluation.edition_services.
    role_permissions = {
        "reviewer": ["evaluation.add_edition", "evaluation.change_edition", "evaluation.view_edition"],
        "administrator": [
            "evaluation.add_edition",
            "evaluation.change_edition",
            "evaluation.delete_edition",
            "evaluation.view_edition",
            # The report's frameworks (h6): administrators complete the placeholders and correct memberships in
            # the admin or by import; the published results are read-only (export and history only).
            *(
                f"evaluation.{action}_{model}"
                for model in ("frameworkgroup", "frameworkindicator", "scope", "membership")
                for action in ("change", "view", "import")
            ),
            "evaluation.view_publishedresult",
        ],
    }

    province_sections = ("evaluation.sections.index_section",)  # on the province page (dashboards)

    def ready(self):
        from returns import provenance

        provenance.register(demonstration_returns)

        from django.db.models.signals import post_save

        from statistics.models import Indicator
        from statistics.signals import report_data_loaded

        from .services import link_on_catalogue_save, load_on_report_data

        report_data_loaded.connect(load_on_report_data, dispatch_uid="evaluation.load_report_data")
        post_save.connect(link_on_catalogue_save, sender=Indicator, dispatch_uid="evaluation.link_catalogue")

        # An edition is submitted only once computed, and a published one is never reopened (review.hooks).
        from review import hooks

        from . import edition_services
        from .models import Edition

        hooks.register(
            Edition,
            submission_problems=edition_services.submission_problems,
            on_transition=edition_services.on_transition,
        )


def demonstration_returns(return_ids) -> set[int]:
    """The returns among ``return_ids`` that ``evaluation.demo`` made up (for ``returns.provenance``)."""
    from .models import DemoReturn

    return set(DemoReturn.objects.filter(annual_return_id__in=return_ids).values_list("annual_return_id", flat=True))
