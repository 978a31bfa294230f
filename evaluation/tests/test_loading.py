"""The report-data loader: creates what is missing, never overwrites, refuses a bad fixture whole."""

import csv
import io
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from evaluation import services
from evaluation.models import Direction, FrameworkIndicator, PublishedResult, ValueKind
from statistics.models import Framework, Indicator, IndicatorGroup

from .conftest import PROJECT

pytestmark = pytest.mark.django_db


def test_a_second_load_creates_nothing():
    counts = services.load_report_data()
    assert sum(counts.created.values()) == 0
    assert counts.kept == {"groups": 18, "indicators": 171, "scopes": 43, "memberships": 59, "results": 133}


def test_load_report_data_runs_the_loader_through_the_signal():
    PublishedResult.objects.filter(key="regional/2024/东部/composite/score").delete()
    out = io.StringIO()
    call_command("load_report_data", "--reference-only", stdout=out)  # no signal with --reference-only
    assert not PublishedResult.objects.filter(key="regional/2024/东部/composite/score").exists()
    services.load_on_report_data(sender=None, stdout=out)
    assert PublishedResult.objects.get(key="regional/2024/东部/composite/score").value == Decimal("86.55")


def test_a_completed_placeholder_survives_a_reload():
    slot = FrameworkIndicator.objects.get(framework="regional", number=70)
    slot.direction = Direction.LOWER_IS_BETTER
    slot.value_kind = ValueKind.COUNT
    slot.note = "completed by the administrator"
    slot.save()
    services.load_report_data()
    slot.refresh_from_db()
    assert (slot.direction, slot.value_kind, slot.note) == ("lower", "count", "completed by the administrator")


def test_a_changed_result_is_kept_and_reported():
    result = PublishedResult.objects.get(key="national/2025/全国/composite/score")
    PublishedResult.objects.filter(pk=result.pk).update(value=Decimal("131.9"))
    counts = services.load_report_data()
    assert counts.differing == ["national/2025/全国/composite/score"]
    assert PublishedResult.objects.get(pk=result.pk).value == Decimal("131.9")


def test_a_new_catalogue_indicator_is_linked_to_its_placeholder():
    group = IndicatorGroup.objects.get(framework=Framework.REGIONAL, name_zh="市场运营")
    indicator = Indicator.objects.create(
        framework=Framework.REGIONAL, code="R63", number=63, name_zh="测试指标", name_en="test", unit="件", group=group
    )
    slot = FrameworkIndicator.objects.get(framework="regional", number=63)
    assert slot.catalogue_indicator == indicator and not slot.is_placeholder and slot.name_zh == "测试指标"
    assert services.link_catalogue_indicators() == 0  # linked when the catalogue saved it; nothing left to link


def test_the_loader_links_what_the_catalogue_gained_meanwhile():
    """An indicator saved without signals (a raw load) is linked by the next load."""
    group = IndicatorGroup.objects.get(framework=Framework.REGIONAL, name_zh="市场运营")
    Indicator.objects.bulk_create(
        [
            Indicator(
                framework=Framework.REGIONAL, code="R64", number=64, name_zh="测试", name_en="t", unit="件", group=group
            )
        ]
    )
    assert FrameworkIndicator.objects.get(framework="regional", number=64).is_placeholder
    assert services.link_catalogue_indicators() == 1
    assert FrameworkIndicator.objects.get(framework="regional", number=64).catalogue_indicator.code == "R64"


@pytest.fixture
def fixture_copy(tmp_path) -> Path:
    folder = tmp_path / "evaluation"
    shutil.copytree(PROJECT / "fixtures" / "evaluation", folder)
    return folder


def rewrite(path: Path, change):
    with open(path, encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))
    fields = list(rows[0])
    change(rows)
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_a_derived_number_that_disagrees_with_its_arithmetic_is_refused(fixture_copy):
    PublishedResult.objects.filter(status="derived").delete()

    def spoil(rows):
        row = next(r for r in rows if r["status"] == "derived" and r["scope"] == "西部" and not r["component"])
        row["value"] = "76.36"  # 77.06 − 0.71 = 76.35

    rewrite(fixture_copy / "index_results.csv", spoil)
    with pytest.raises(services.FixtureProblem, match=r"index_results.csv, row \d+: 77.06 − 0.71 is 76.35"):
        services.load_report_data(fixture_copy)
    assert not PublishedResult.objects.filter(status="derived").exists()  # all or nothing


def test_a_bad_row_names_its_file_and_row(fixture_copy):
    PublishedResult.objects.filter(key="regional/2025/长三角/composite/gap/长江经济带").delete()

    def spoil(rows):
        row = next(r for r in rows if r["measure"] == "gap" and not r["component"])
        row["compared_with"] = ""

    rewrite(fixture_copy / "index_results.csv", spoil)
    with pytest.raises(services.FixtureProblem, match=r"index_results.csv, row \d+: .*"):
        services.load_report_data(fixture_copy)


def test_the_fixtures_are_what_the_script_extracts():
    """``scripts/extract_index_results.py --check`` re-extracts from the report and compares with the files."""
    done = subprocess.run(
        [sys.executable, str(PROJECT / "scripts" / "extract_index_results.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
