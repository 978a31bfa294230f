from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_role_groups(sender, **kwargs):
    """After the last app has migrated, (re)create the role groups with the permissions the apps ask for."""
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is not with_models[-1]:
        return
    from django.contrib.auth.management import create_permissions

    from .roles import ensure_role_groups

    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0, using=kwargs.get("using", "default"))
    ensure_role_groups()


class ReviewConfig(AppConfig):
    """The one review workflow (submit → return / approve → lock, reopen) shared by every app, and the roles."""

    name = "review"
    verbose_name = _("Review")
    # Administrators make officers: they manage user accounts and assign regions (``assignment_services``);
    # headquarters reads the assignments. Superuser status and single permissions stay with superusers
    # (``assignment_admin.UserWithRegionAdmin``).
    role_permissions = {
        "reviewer": ["review.view_regionassignment"],
        "administrator": [
            "auth.view_user",
            "auth.add_user",
            "auth.change_user",
            "review.view_regionassignment",
            "review.add_regionassignment",
            "review.change_regionassignment",
            "review.delete_regionassignment",
        ],
    }

    def ready(self):
        post_migrate.connect(_create_role_groups, dispatch_uid="review.create_role_groups")
