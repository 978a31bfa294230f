"""Demonstration data for the index (演示数据): synthetic approved annual returns and one published edition.

The reports print no province's index values, so nothing real can be scored until the provinces submit. For a
demonstration, ``create_demo_accounts`` (DEBUG only) calls ``create_demo_index_data``, which makes plausible returns
of 2024 and 2025 for the 31 provinces (not 港澳台, not the XPCC) and runs them through the real workflow: a
demonstration officer of each province (an account that cannot log in) starts, fills and submits the return through
``returns.services`` and ``review.services``, and the demo reviewer approves it. Each such return is marked
``DemoReturn``; an edition computed from any of them carries ``uses_demo_data``, and every page and API answer that
shows it says 演示数据. Then the demo administrator computes and submits an edition and the demo reviewer approves
it, so the index pages have something to show.

Only what is missing is created: a province that already has a return for a year keeps it, and a second run makes
nothing new. The values are drawn from a seeded generator, so every run makes the same numbers.
"""

import zlib
from datetime import date

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from returns import services as returns_services
from returns.models import AnnualReturn, ReturnPeriod
from returns.provenance import DEMONSTRATION_LABEL
from review import services as review
from review.models import Action, RegionAssignment, State
from review.roles import GROUP_NAMES, Role
from statistics.models import Indicator, Source

from . import edition_services
from .inputs import evaluated_provinces, regional_framework
from .models import DemoReturn, Edition, Membership, ScopeKind

DEMO_YEARS = (2024, 2025)
DEMO_EDITION_YEAR = 2026  # evaluates the 2025 returns (data lag 1) and, as its earlier year, the 2024 returns
DEMO_OFFICER_PREFIX = "demo-officer-"
REVIEWER, ADMINISTRATOR = "reviewer", "admin"

# Typical magnitudes of an average province, by unit (the values only need to look plausible).
MAGNITUDE = {"件": 4000.0, "亿元": 900.0, "万元": 400000.0, "家": 60.0, "个": 12.0}
DENOMINATORS = {
    "D_POPULATION": 4500.0,  # 万人
    "D_GDP": 40000.0,  # 亿元
    "D_MARKET_ENTITIES": 600.0,  # 万户
    "D_GOODS_EXPORTS": 8000.0,  # 亿元
    "D_TRADE": 13000.0,  # 亿元
}


def _rng(*seed) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(repr(seed).encode()))


def province_size(region, east: bool) -> float:
    """A made-up economic size around 1 (the east larger), fixed per province."""
    return float(_rng("size", region.code).lognormal(mean=0.35 if east else -0.2, sigma=0.6))


def synthetic_values(region, year: int, indicators, east: bool) -> dict[str, str]:
    """Code → typed text for every indicator the province types, for ``year``; 2025 grows from 2024."""
    size = province_size(region, east)
    values = {}
    for indicator in indicators:
        rng = _rng("value", region.code, indicator.code)
        # Draw in the same order for every year, so that a province's later year grows from its earlier one.
        level, step, share_draw = rng.lognormal(mean=0.0, sigma=0.35), rng.normal(0.06, 0.05), rng.random()
        growth = 1.0 + (step if year > DEMO_YEARS[0] else 0.0)
        if indicator.code == "D_LOAN_FIRMS":
            continue  # follows from R61 below, so that the share stays a share
        if indicator.code in DENOMINATORS:
            value = DENOMINATORS[indicator.code] * size * level * growth
        elif indicator.unit == "%":
            value = min(99.0, 55.0 + 35.0 * share_draw + (1.5 if year > DEMO_YEARS[0] else 0.0))
        elif indicator.unit == "分":
            value = min(99.0, 65.0 + 25.0 * share_draw + (0.8 if year > DEMO_YEARS[0] else 0.0))
        elif indicator.code in ("R42", "R45", "R49"):
            share = {"R42": 0.13, "R45": 0.07, "R49": 0.012}[indicator.code]
            value = DENOMINATORS["D_GDP" if indicator.code != "R49" else "D_TRADE"] * size * share * level * growth
        else:
            value = MAGNITUDE.get(indicator.unit, 1000.0) * size * level * growth
        values[indicator.code] = f"{value:.2f}" if indicator.unit in ("%", "分") else f"{round(value)}"
    if "R61" in values:
        values["D_LOAN_FIRMS"] = str(round(int(values["R61"]) * 1.6 + 10))
    return values


def _demo_officer(region, group):
    """The province's demonstration officer: an account that cannot log in and only enters demo returns."""
    users = get_user_model()
    user, created = users.objects.get_or_create(username=f"{DEMO_OFFICER_PREFIX}{region.code}")
    if created:
        user.set_unusable_password()
        user.is_active = True
        user.save()
        user.groups.add(group)
        RegionAssignment.objects.update_or_create(user=user, defaults={"region": region})
    return user


def _east_provinces() -> set[int]:
    return set(
        Membership.objects.filter(group__kind=ScopeKind.FOUR_REGION, group__name_zh="东部").values_list(
            "province_id", flat=True
        )
    )


@transaction.atomic
def create_demo_returns(reviewer, years=DEMO_YEARS) -> int:
    """The missing demo returns, entered, submitted and approved through the workflow. Returns how many."""
    indicators = list(Indicator.objects.filter(framework="regional", source=Source.ENTERED).order_by("position"))
    group = Group.objects.get(name=GROUP_NAMES[Role.OFFICER])
    east = _east_provinces()
    existing = set(AnnualReturn.objects.filter(year__in=years).values_list("region_id", "year"))
    made_periods = []
    for year in years:  # returns are started in open reporting periods only (returns.periods)
        period, created = ReturnPeriod.objects.get_or_create(year=year, defaults={"deadline": date(year + 1, 3, 31)})
        made_periods += [period] if created else []
    made = 0
    for region in evaluated_provinces():
        officer = None
        for year in years:
            if (region.pk, year) in existing:
                continue
            officer = officer or _demo_officer(region, group)
            annual_return = returns_services.start_return(region, year, officer)
            values = synthetic_values(region, year, indicators, region.pk in east)
            annual_return = returns_services.save_values(annual_return, officer, annual_return.version, values).record
            annual_return = review.transition(
                annual_return, Action.SUBMIT, officer, expected_version=annual_return.version
            ).target
            review.transition(
                annual_return,
                Action.APPROVE,
                reviewer,
                comment=DEMONSTRATION_LABEL,  # stored once, read in either language: the label, as every page shows it
                expected_version=annual_return.version,
            )
            DemoReturn.objects.create(annual_return=annual_return)
            made += 1
    # The earlier years' periods made here are closed once their returns are in: a demonstration shows its latest
    # year open, not an earlier one overdue ever since its deadline. A period that existed before is left as it was.
    earlier = [period.pk for period in made_periods if period.year < max(years)]
    ReturnPeriod.objects.filter(pk__in=earlier).update(closed=True)
    return made


@transaction.atomic
def create_demo_edition(preparer, approver, year: int = DEMO_EDITION_YEAR) -> Edition | None:
    """Compute, submit and publish one edition from the demo returns, unless a demo edition exists already."""
    existing = Edition.objects.filter(uses_demo_data=True, year=year).first()
    if existing is not None:
        return existing
    edition = edition_services.create_edition(preparer, year, title="演示数据")
    edition = edition_services.compute_edition(edition, preparer, edition.version)
    edition = review.transition(edition, Action.SUBMIT, preparer, expected_version=edition.version).target
    return review.transition(edition, Action.APPROVE, approver, expected_version=edition.version).target


def create_demo_index_data(stdout=None) -> dict:
    """The entry point ``create_demo_accounts`` calls (DEBUG only). Skips, saying why, what it cannot make."""

    def say(text):
        if stdout is not None:
            stdout.write(text)

    if not settings.DEBUG:
        say("index demo data: not created (DEBUG is off)")
        return {"returns": 0, "edition": None}
    users = get_user_model().objects
    reviewer, administrator = users.filter(username=REVIEWER).first(), users.filter(username=ADMINISTRATOR).first()
    if reviewer is None or administrator is None:
        say("index demo data: not created (the demo reviewer and administrator accounts are missing)")
        return {"returns": 0, "edition": None}
    if len(evaluated_provinces()) != 31 or not regional_framework().slots:
        say("index demo data: not created (load the report data first: manage.py load_report_data)")
        return {"returns": 0, "edition": None}
    made = create_demo_returns(reviewer)
    say(f"index demo data: {made} synthetic approved returns created (演示数据)")
    edition = None
    if AnnualReturn.objects.filter(state=State.APPROVED, year=DEMO_EDITION_YEAR - 1).exists():
        edition = create_demo_edition(administrator, reviewer)
        say(f"index demo data: edition {edition} published (演示数据)")
    return {"returns": made, "edition": edition}


def bench_edition() -> Edition:
    """For ``benchmarks/index_bench.py``: the demo accounts, the demo returns and the published demo edition."""
    from django.core.management import call_command

    call_command("create_demo_accounts", verbosity=0)
    edition = Edition.objects.filter(uses_demo_data=True).order_by("-pk").first()
    if edition is None:
        raise RuntimeError("the demo edition was not created")
    return edition
