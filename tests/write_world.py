"""One database for the write-path tests: the report, the roles, and a record of each reviewed kind in each region.

``world`` is built once per test module inside a transaction that is rolled back at the end (the pattern of
``test_api_schema.py``), so other modules see the database they expect. Each check inside a module runs in a
savepoint of its own (``attempt``) and is rolled back too, so one attempt that does write cannot change what the next
one sees.

``fingerprint`` is how "nothing changed" is checked (see its docstring).
"""

import hashlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection, models, transaction

from localwork.tests.factories import WorkSummaryFactory
from protection import services as protection_services
from protection.models import Centre
from returns import services as return_services
from returns.models import IndicatorValue, ReturnPeriod
from review import services as review
from review.models import Action, RegionAssignment
from review.roles import GROUP_NAMES, Role
from statistics.models import Indicator, Region
from statistics.tests.factories import UserFactory

from .report import report_loaded

YEAR = 2025
OWN, OTHER = "110000", "440000"  # 北京 (the officer's own region) and 广东 (another region)
ROLES = ("anonymous", "officer_own", "officer_other", "reviewer", "administrator", "superuser")
FULL_CONTENT_ROWS = 3000
# Tables whose changes are not changes of the record: logins and sessions.
IGNORED_TABLES = {"django_session"}


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)  # "app_label.model" → the record a URL with an id is tried on

    def user(self, role):
        return self.users.get(role)


def _person(username, role=None, region_code=None, **extra):
    user = UserFactory(username=username, is_staff=True, **extra)
    if role is not None:
        user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    if region_code:
        RegionAssignment.objects.create(user=user, region=Region.objects.get(code=region_code))
    return user


def _submitted_return(region, officer, r01="100"):
    codes = Indicator.objects.filter(framework="regional", source="entered").values_list("code", flat=True)
    annual_return = return_services.start_return(region, YEAR, officer)
    values = dict.fromkeys(codes, "10") | {"R01": r01}
    return_services.save_values(annual_return, officer, annual_return.version, values)
    annual_return.refresh_from_db()
    review.transition(annual_return, Action.SUBMIT, officer, expected_version=annual_return.version)
    annual_return.refresh_from_db()
    return annual_return


def build_world() -> World:
    report_loaded()
    world = World()
    world.users = {
        "anonymous": None,
        "officer_own": _person("officer-beijing", Role.OFFICER, OWN),
        "officer_other": _person("officer-guangdong", Role.OFFICER, OTHER),
        "reviewer": _person("reviewer", Role.REVIEWER),
        "administrator": _person("administrator", Role.ADMINISTRATOR),
        "superuser": _person("root", None, is_superuser=True),
    }
    own, other = Region.objects.get(code=OWN), Region.objects.get(code=OTHER)
    ReturnPeriod.objects.create(year=YEAR, deadline=date(YEAR + 1, 3, 31))  # returns start in open periods only
    own_return = _submitted_return(own, world.users["officer_own"])
    _submitted_return(other, world.users["officer_other"])
    draft_summary = WorkSummaryFactory(region=own, year=YEAR + 1)
    centre = Centre.objects.filter(region=own).order_by("pk").first()
    change = protection_services.propose(
        world.users["officer_own"], "centre", centre.pk, {"remote_hearing": not centre.remote_hearing}
    )
    world.objects = {
        "returns.annualreturn": own_return,
        "returns.indicatorvalue": IndicatorValue.objects.filter(annual_return=own_return, indicator__code="R01").get(),
        "localwork.worksummary": draft_summary,
        "protection.registrychange": change,
        "protection.centre": centre,
    }
    return world


def target_for(model):
    """The record a URL of ``model`` is tried on: the world's record of it, else the own region's first row, else
    the model's first row."""
    found = WORLD_OBJECTS.get(model._meta.label_lower)
    if found is not None:
        return found
    queryset = model._default_manager.order_by("pk")
    if any(f.name == "region" and f.is_relation for f in model._meta.fields):
        own = queryset.filter(region__code=OWN).first()
        if own is not None:
            return own
    return queryset.first()


WORLD_OBJECTS: dict = {}


@contextmanager
def world_in_transaction(django_db_blocker):
    """Build the world for one module; roll everything back afterwards."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            WORLD_OBJECTS.clear()
            WORLD_OBJECTS.update(world.objects)
            yield world
        finally:
            WORLD_OBJECTS.clear()
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@contextmanager
def attempt():
    """A savepoint rolled back at the end: whatever the attempt wrote is gone for the next one."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _tables() -> list[tuple[str, str, tuple, bool]]:
    """(table, primary key column, numeric columns, whether every save leaves a history row) for every table of an
    installed model that exists (an app still without migrations has none yet)."""
    existing = set(connection.introspection.table_names())
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table in IGNORED_TABLES or table not in existing or model._meta.proxy or not model._meta.managed:
            continue
        numeric = tuple(
            f.column
            for f in model._meta.concrete_fields
            if isinstance(f, (models.IntegerField, models.DecimalField, models.FloatField)) and not f.primary_key
        )
        tracked = hasattr(model, "instance_type") or hasattr(model, "history")
        tables.add((table, model._meta.pk.column, numeric, tracked))
    return sorted(tables)


def _plain(value):
    """Binary columns come back as ``memoryview`` on PostgreSQL, whose repr holds an address: compare the bytes."""
    return bytes(value) if isinstance(value, memoryview) else value


def fingerprint() -> dict:
    """table → a digest of its state.

    Tables of history-tracked models (and their history tables) are summed up: row count, highest id and the sum of
    each numeric column; any save through the ORM adds a history row, so a changed text shows up in the history
    table's count. Every other table is compared row by row (hashed) while it is small.
    """
    state = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, pk, numeric, tracked in _tables():
            # the highest key as text: some keys are UUIDs (django-tasks-db), which PostgreSQL cannot MAX()
            highest = f"MAX(CAST({quote(pk)} AS TEXT))"
            aggregates = ", ".join(["COUNT(*)", highest, *(f"SUM({quote(c)})" for c in numeric)])
            cursor.execute(f"SELECT {aggregates} FROM {quote(table)}")
            summary = cursor.fetchone()
            if tracked or summary[0] > FULL_CONTENT_ROWS:
                state[table] = repr(summary)
                continue
            cursor.execute(f"SELECT * FROM {quote(table)}")
            rows = sorted(repr(tuple(_plain(value) for value in row)) for row in cursor.fetchall())
            state[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return state


def rows_written() -> int:
    """How many rows this connection has inserted, updated or deleted so far: a cheap first look, so that the
    fingerprint is only taken when something may have been written. SQLite counts per connection
    (``total_changes()``), PostgreSQL per transaction (``pg_stat_xact_user_tables``); both only grow."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT total_changes()")
        elif connection.vendor == "postgresql":
            cursor.execute("SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables")
        else:
            return -1  # unknown: always take the fingerprint
        return int(cursor.fetchone()[0])


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))
