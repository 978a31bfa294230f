"""Create the demo accounts listed in the README. For demonstrations only: refused when DEBUG is off."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from review.models import RegionAssignment
from review.roles import GROUP_NAMES, Role, ensure_role_groups
from statistics.models import Region

DEMO_PASSWORD = "demo-2025"
# username, superuser, role, region code (officers)
DEMO_ACCOUNTS = [
    ("admin", True, Role.ADMINISTRATOR, None),
    ("reviewer", False, Role.REVIEWER, None),
    ("officer-beijing", False, Role.OFFICER, "110000"),
    ("officer-guangdong", False, Role.OFFICER, "440000"),
]


class Command(BaseCommand):
    help = "Create the demo accounts (DEBUG only). Running it again resets their passwords and roles."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are never created with DEBUG off.")
        ensure_role_groups()
        users = get_user_model()
        for username, is_superuser, role, region_code in DEMO_ACCOUNTS:
            user, _created = users.objects.get_or_create(username=username)
            user.is_staff = True
            user.is_superuser = is_superuser
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=GROUP_NAMES[role])])
            if region_code:
                RegionAssignment.objects.update_or_create(
                    user=user, defaults={"region": Region.objects.get(code=region_code)}
                )
            else:
                RegionAssignment.objects.filter(user=user).delete()
            where = f", {Region.objects.get(code=region_code).name_zh}" if region_code else ""
            self.stdout.write(f"demo account {username!r} ({role.label}{where}), password {DEMO_PASSWORD!r}")
