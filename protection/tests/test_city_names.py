"""The registry's cities have English names (Hanyu Pinyin, the official romanisation the regions' English names
use too), shown on English pages and served by the API; Chinese pages keep the Chinese names."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from protection.models import Centre, City
from statistics.models import Region

pytestmark = pytest.mark.django_db


def test_every_city_of_the_registry_has_an_english_name():
    cities = list(City.objects.all())
    assert len(cities) == 15
    assert all(re.fullmatch(r"[A-Z][a-z]+", city.name_en) for city in cities), [c.name_en for c in cities]


def test_a_city_that_is_also_a_sub_provincial_region_has_that_regions_english_name():
    """The reference table (fixtures/reference/regions.csv) names the sub-provincial cities on its own."""
    regions = {region.name_zh: region.name_en for region in Region.objects.filter(level=Region.Level.CITY)}
    shared = [city for city in City.objects.all() if city.name in regions]
    assert {city.name for city in shared} == {"长春", "南京", "深圳"}
    assert all(city.name_en == regions[city.name] for city in shared)


def test_the_registry_page_names_the_city_in_the_readers_language(client):
    centre = Centre.objects.select_related("city", "region").filter(city__isnull=False).order_by("pk").first()
    city = centre.city
    url = reverse("protection:registry")
    chinese = client.get(url, {"region": centre.region.code}).content.decode()
    assert f"· {city.name}" in chinese
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url, {"region": centre.region.code}).content.decode()
    assert f"· {city.name_en}" in english and f"· {city.name}" not in english


def test_the_api_serves_the_english_name(client):
    response = client.get(reverse("api:protection-city-list"), {"page_size": 100})
    assert response.status_code == 200
    rows = response.json()["results"] if isinstance(response.json(), dict) else response.json()
    by_name = {row["name"]: row["name_en"] for row in rows}
    assert by_name["淄博"] == City.objects.get(name="淄博").name_en
