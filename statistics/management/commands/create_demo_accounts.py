"""Create the demo accounts listed in the README. For demonstrations only: refused when DEBUG is off."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEMO_PASSWORD = "demo-2025"
DEMO_ACCOUNTS = [
    # username, is_superuser, description
    ("admin", True, "administrator"),
]


class Command(BaseCommand):
    help = "Create the demo accounts (DEBUG only). Running it again resets their passwords."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are never created with DEBUG off.")
        users = get_user_model()
        for username, is_superuser, description in DEMO_ACCOUNTS:
            user, _created = users.objects.get_or_create(username=username)
            user.is_staff = True
            user.is_superuser = is_superuser
            user.set_password(DEMO_PASSWORD)
            user.save()
            self.stdout.write(f"demo account {username!r} ({description}), password {DEMO_PASSWORD!r}")
