"""Create the demo accounts listed in the README. For demonstrations only: refused when DEBUG is off.

Only missing accounts are created, so that ``bin/run`` can run it on every start without undoing a changed
password, role or region assignment; ``--reset`` gives existing demo accounts their demo settings again.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

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
    help = (
        "Create the demo accounts that are missing (DEBUG only). Existing accounts keep their passwords, roles and "
        "regions unless --reset is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Also give existing demo accounts their demo password, role and region again.",
        )

    def handle(self, *args, reset=False, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are never created with DEBUG off.")
        ensure_role_groups()
        users = get_user_model()
        for username, is_superuser, role, region_code in DEMO_ACCOUNTS:
            user = users.objects.filter(username=username).first()
            where = f", {Region.objects.get(code=region_code).name_zh}" if region_code else ""
            if user is not None and not reset:
                # Someone may have changed its password, role or region since: bin/run must not undo that.
                self.stdout.write(f"demo account {username!r} exists: left as it is (--reset to reset it)")
                continue
            user = user or users(username=username)
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
            self.stdout.write(f"demo account {username!r} ({role.label}{where}), password {DEMO_PASSWORD!r}")
        # The index's synthetic approved returns and demo edition (演示数据), only what is missing: evaluation/demo.py.
        if apps.is_installed("evaluation"):
            import_string("evaluation.demo.create_demo_index_data")(self.stdout)
