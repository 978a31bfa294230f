"""Writes of the evaluation app's report data: loading the fixtures, linking catalogue indicators, saving a slot.

The fixtures (``fixtures/evaluation/*.csv``, made by ``scripts/extract_index_results.py``) are the report; the
loader creates what is missing and never overwrites a row that exists, so that an administrator's completion of a
placeholder (catalogue link, direction, kind of value) survives every later ``load_report_data``. A derived result
is computed here from the printed result it names; the fixture's copy of the number is only checked against it.

Published results are not edited by hand: they are what the report prints. The admin shows them read-only; a
correction is a change to the extraction script and its fixture, reviewed like code.
"""

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from statistics.models import Indicator, IndicatorGroup, Region

from .models import (
    FrameworkGroup,
    FrameworkIndicator,
    Membership,
    PublishedResult,
    Scope,
    Status,
)
from .models.published import previous_year_value

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "evaluation"


class FixtureProblem(Exception):
    """A fixture row that cannot be loaded: names the file, the row and the reason."""


@dataclass
class LoadCounts:
    created: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    differing: list[str] = field(default_factory=list)

    def count(self, name: str, created: bool):
        bucket = self.created if created else self.kept
        bucket[name] = bucket.get(name, 0) + 1

    def __str__(self):
        created = sum(self.created.values())
        kept = sum(self.kept.values())
        text = f"evaluation: {created} created, {kept} already present"
        if self.differing:
            text += f", {len(self.differing)} kept although the fixture now differs"
        return text


def _rows(folder: Path, name: str) -> list[dict]:
    with open(folder / name, encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


def _int(text: str) -> int | None:
    return int(text) if text not in ("", None) else None


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text not in ("", None) else None


def _save_new(instance, where: str):
    try:
        instance.full_clean()
    except ValidationError as error:
        raise FixtureProblem(f"{where}: {'; '.join(error.messages)}") from error
    instance.save()


@transaction.atomic
def load_report_data(folder: Path = FIXTURES) -> LoadCounts:
    """Create the frameworks, scopes, memberships and published results that do not exist yet; all or nothing."""
    counts = LoadCounts()
    groups = _load_groups(folder, counts)
    _load_indicators(folder, counts, groups)
    link_catalogue_indicators()
    scopes = _load_scopes(folder, counts)
    _load_memberships(folder, counts, scopes)
    _load_results(folder, counts, scopes, groups)
    return counts


def _load_groups(folder, counts) -> dict[tuple, FrameworkGroup]:
    groups = {}
    for number, row in enumerate(_rows(folder, "framework_groups.csv"), start=2):
        where = f"framework_groups.csv, row {number}"
        parent = groups[(row["framework"], row["group"], "")] if row["subgroup"] else None
        name = row["subgroup"] or row["group"]
        group = FrameworkGroup.objects.filter(framework=row["framework"], parent=parent, name_zh=name).first()
        if group is None:
            group = FrameworkGroup(
                framework=row["framework"],
                parent=parent,
                name_zh=name,
                name_en=row["name_en"],
                subindex_name_zh=row["subindex_name_zh"],
                position=number - 2,
                indicator_count=_int(row["indicator_count"]),
                count_basis=row["count_basis"],
                first_number=_int(row["first_number"]),
                last_number=_int(row["last_number"]),
                range_basis=row["range_basis"],
                catalogue_group=_catalogue_group(row["framework"], row["group"], row["subgroup"]),
                source_line=_int(row["source_line"]),
                source_text=row["source_text"][:300],
            )
            _save_new(group, where)
            counts.count("groups", True)
        else:
            counts.count("groups", False)
        groups[(row["framework"], row["group"], row["subgroup"])] = group
    return groups


def _catalogue_group(framework: str, group: str, subgroup: str) -> IndicatorGroup | None:
    """The statistics catalogue's group of the same framework and printed name, where the catalogue has it."""
    top = IndicatorGroup.objects.filter(framework=framework, parent=None, name_zh=group).first()
    if top is None or not subgroup:
        return top
    return IndicatorGroup.objects.filter(framework=framework, parent=top, name_zh=subgroup).first()


def _load_indicators(folder, counts, groups):
    existing = set(FrameworkIndicator.objects.values_list("framework", "number"))
    for number, row in enumerate(_rows(folder, "framework_indicators.csv"), start=2):
        key = (row["framework"], int(row["number"]))
        if key in existing:
            counts.count("indicators", False)
            continue
        group = groups.get((row["framework"], row["group"], row["subgroup"])) if row["group"] else None
        slot = FrameworkIndicator(
            framework=row["framework"],
            number=int(row["number"]),
            group=group,
            in_source_text=row["in_source_text"] == "true",
            direction=row["direction"],
            value_kind=row["value_kind"],
            source_line=_int(row["source_line"]),
        )
        _save_new(slot, f"framework_indicators.csv, row {number}")
        counts.count("indicators", True)


def link_catalogue_indicators() -> int:
    """Link each unlinked slot to the catalogue indicator of the same framework and printed number, if any.

    Administrators complete a placeholder by adding the indicator to the statistics catalogue (admin or import);
    this finds it. A slot already linked is never changed. Returns the number of slots linked.
    """
    linked = 0
    taken = set(
        FrameworkIndicator.objects.exclude(catalogue_indicator=None).values_list("catalogue_indicator", flat=True)
    )
    catalogue = {
        (indicator.framework, indicator.number): indicator
        for indicator in Indicator.objects.exclude(number=None).exclude(pk__in=taken)
    }
    for slot in FrameworkIndicator.objects.filter(catalogue_indicator=None):
        indicator = catalogue.get((slot.framework, slot.number))
        if indicator is not None:
            slot.catalogue_indicator = indicator
            slot.save(update_fields=["catalogue_indicator"])
            linked += 1
    return linked


def link_on_catalogue_save(sender, instance, raw=False, **kwargs):
    """``post_save`` of ``statistics.Indicator``: an indicator added to the catalogue (admin or import) with a
    printed number completes the placeholder of that number at once, without waiting for the next load."""
    if raw or instance.number is None:
        return
    FrameworkIndicator.objects.filter(
        framework=instance.framework, number=instance.number, catalogue_indicator=None
    ).exclude(pk__in=FrameworkIndicator.objects.filter(catalogue_indicator=instance).values("pk")).update(
        catalogue_indicator=instance
    )


def save_framework_indicator(slot: FrameworkIndicator) -> FrameworkIndicator:
    """The one write path for a slot edited in the admin or the API: the model's rules, then save."""
    slot.full_clean()
    slot.save()
    return slot


def _load_scopes(folder, counts) -> dict[str, Scope]:
    scopes = {scope.name_zh: scope for scope in Scope.objects.all()}
    for number, row in enumerate(_rows(folder, "scopes.csv"), start=2):
        if row["name_zh"] in scopes:
            counts.count("scopes", False)
            continue
        region = None
        if row["region"]:
            region = Region.objects.filter(name_zh=row["region"]).first()
            if region is None:
                raise FixtureProblem(f"scopes.csv, row {number}: no region {row['region']} (load the regions first)")
        scope = Scope(kind=row["kind"], name_zh=row["name_zh"], region=region, position=int(row["position"]))
        _save_new(scope, f"scopes.csv, row {number}")
        scopes[scope.name_zh] = scope
        counts.count("scopes", True)
    return scopes


def _load_memberships(folder, counts, scopes):
    existing = set(Membership.objects.values_list("group__name_zh", "province__name_zh"))
    regions = {region.name_zh: region for region in Region.objects.province_level()}
    for number, row in enumerate(_rows(folder, "memberships.csv"), start=2):
        if (row["group"], row["province"]) in existing:
            counts.count("memberships", False)
            continue
        membership = Membership(
            group=scopes[row["group"]],
            province=regions[row["province"]],
            source_kind=row["source_kind"],
            source=row["source"][:300],
            source_line=_int(row["source_line"]),
        )
        _save_new(membership, f"memberships.csv, row {number}")
        counts.count("memberships", True)


def _load_results(folder, counts, scopes, groups):
    existing = {result.key: result for result in PublishedResult.objects.all()}
    components = {(framework, top): group for (framework, top, sub), group in groups.items() if not sub}
    for number, row in enumerate(_rows(folder, "index_results.csv"), start=2):
        where = f"index_results.csv, row {number}"
        result = PublishedResult(
            index=row["index"],
            year=int(row["year"]),
            scope=scopes[row["scope"]],
            component=components[(row["index"], row["component"])] if row["component"] else None,
            measure=row["measure"],
            value=_decimal(row["value"]),
            change=_decimal(row["change"]),
            position=_int(row["position"]),
            compared_with=scopes[row["compared_with"]] if row["compared_with"] else None,
            status=row["status"],
            formula=row["formula"],
            source_line=int(row["source_line"]),
            source_sentence=row["source_sentence"],
            also_printed_at=row["also_printed_at"],
            note=row["note"],
        )
        key = result.natural_key_text()
        if key in existing:
            counts.count("results", False)
            if _differs(existing[key], result):
                counts.differing.append(key)
            continue
        if row["status"] == Status.DERIVED:
            parent = existing.get(row["derived_from"])
            if parent is None:
                raise FixtureProblem(f"{where}: derived from {row['derived_from']}, which is not loaded")
            result.derived_from = parent
            result.value = previous_year_value(parent)
            if result.value != _decimal(row["value"]):
                raise FixtureProblem(f"{where}: {row['formula']} is {result.value}, the fixture says {row['value']}")
        _save_new(result, where)
        existing[key] = result
        counts.count("results", True)


def _differs(stored: PublishedResult, fixture: PublishedResult) -> bool:
    return (stored.value, stored.change, stored.source_line) != (fixture.value, fixture.change, fixture.source_line)


def load_on_report_data(sender, stdout=None, **kwargs) -> str:
    """Receiver of ``statistics.signals.report_data_loaded``."""
    try:
        counts = load_report_data()
    except FixtureProblem as problem:
        from django.core.management.base import CommandError

        raise CommandError(f"fixtures/evaluation/{problem}") from problem
    for key in counts.differing:
        if stdout is not None:
            stdout.write(f"evaluation: kept {key}, which the fixture now states differently")
    return str(counts)
