from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    """Provincial annual returns: one value per indicator, entered by the province and reviewed by headquarters."""

    name = "returns"
    verbose_name = _("Annual returns")

    # Model permissions open the admin screens; who may do what to which return is decided by review.services.
    role_permissions = {
        "officer": [
            "returns.add_annualreturn",
            "returns.change_annualreturn",
            "returns.view_annualreturn",
            "returns.view_indicatorvalue",
        ],
        "reviewer": ["returns.view_annualreturn", "returns.view_indicatorvalue", "returns.view_returnperiod"],
        "administrator": [
            "returns.view_annualreturn",
            "returns.view_indicatorvalue",
            "returns.add_returnperiod",
            "returns.change_returnperiod",
            "returns.view_returnperiod",
        ],
    }

    province_sections = ("returns.sections.approved_return_section",)  # on the province page (dashboards)

    def ready(self):
        from review import hooks

        from .models import AnnualReturn
        from .validation import submission_problems

        hooks.register(AnnualReturn, submission_problems=submission_problems)  # the workflow asks before a submit
