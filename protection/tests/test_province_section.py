"""The province page lists the province's protection centres and platforms the report names, as approved."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_province_page_lists_the_named_centres(client):
    page = client.get("/province/110000/?year=2025").content.decode()
    assert "北京知识产权保护中心" in page
    assert "天津知识产权保护中心" not in page


def test_a_region_with_no_named_entry_has_no_registry_section():
    from protection.sections import registry_section
    from statistics.tests.factories import RegionFactory

    assert registry_section(RegionFactory(), 2025) is None
