from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Telling people when something waits for them: in-app notifications, e-mail, and each user's opt-out."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from review.signals import transitioned

        from .receivers import on_transition

        transitioned.connect(on_transition, dispatch_uid="notifications.on_transition")
