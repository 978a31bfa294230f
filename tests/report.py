"""The report in the test database, for module fixtures that work inside a transaction of their own."""

import io

from django.core.management import call_command


def report_loaded() -> None:
    """The session loaded the report (root ``conftest.py``); load it again only when a transactional test before
    emptied the database. Loading it over itself changes nothing but costs seconds (``statistics/tests/test_loading``
    checks that it changes nothing)."""
    from review.roles import ensure_role_groups
    from statistics.models import Region

    if not Region.objects.exists():
        call_command("load_report_data", stdout=io.StringIO())
    ensure_role_groups()
