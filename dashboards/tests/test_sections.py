"""Sections other apps add to the province page through ``dashboards.sections.register``."""

import pytest

from dashboards import sections

pytestmark = pytest.mark.django_db


def summary_section(region, year):
    return "Work summary", "dashboards/sections/items.html", {"items": [("region code", region.code), ("year", year)]}


def centres_section(region, year):
    return "Protection centres", "dashboards/sections/items.html", {"items": [("centres", 7)], "note": "named: 3"}


def nothing_section(region, year):
    return None


def test_registered_sections_appear_in_order(client, clean_registry):
    sections.register(summary_section)
    sections.register(nothing_section)
    sections.register(centres_section)
    content = client.get("/province/110000/?year=2025").content.decode()
    assert "<h2>Work summary</h2>" in content
    assert "<dd>110000</dd>" in content and "<dd>2025</dd>" in content
    assert "<h2>Protection centres</h2>" in content and "named: 3" in content
    assert content.index("Work summary") < content.index("Protection centres")


def test_a_section_returning_none_is_left_out(client, clean_registry):
    sections.register(nothing_section)
    response = client.get("/province/110000/?year=2025")
    assert response.context["sections"] == []
    assert 'class="province-section"' not in response.content.decode()


def test_registering_twice_shows_once(client, clean_registry):
    assert sections.register(summary_section) is summary_section
    sections.register(summary_section)
    assert sections.registered() == (summary_section,)
    assert client.get("/province/110000/").content.decode().count("<h2>Work summary</h2>") == 1


def test_sections_get_the_region_and_year_shown(client, clean_registry):
    seen = []

    def spy(region, year):
        seen.append((region.code, year))

    sections.register(spy)
    client.get("/province/440300/?year=2024")
    assert seen == [("440300", 2024)]
