"""The public pages (registry, reconciliation, summary) and the admin screens (lists, filters, search, summary)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def cell(html: str, name: str) -> str:
    match = re.search(rf"<td class=\"number\" data-{name}>([^<]*)</td>", html)
    assert match, name
    return match.group(1).strip()


@pytest.mark.parametrize(
    "year, kind, registry, published, gap",
    [
        (2024, "centres", "10", "124", "114"),
        (2025, "centres", "14", "129", "115"),
        (2024, "platforms", "3", "80", "77"),
        (2025, "platforms", "27", "116", "89"),
    ],
)
def test_reconciliation_page(client, year, kind, registry, published, gap):
    response = client.get(reverse("protection:reconciliation"), {"year": year, "kind": kind})
    assert response.status_code == 200
    html = response.content.decode()
    assert (cell(html, "registry"), cell(html, "published"), cell(html, "gap")) == (registry, published, gap)


def test_reconciliation_page_shows_the_source_sentence(client):
    html = client.get(reverse("protection:reconciliation"), {"year": 2025, "kind": "centres"}).content.decode()
    assert "总数达 129 家" in html


def test_reconciliation_page_refuses_an_unknown_kind(client):
    assert client.get(reverse("protection:reconciliation"), {"kind": "moons"}).status_code == 404


def test_summary_page(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get(reverse("protection:summary"))
    assert response.status_code == 200
    assert "吉林" in response.content.decode()


def test_registry_page_filters_with_the_api_filterset(client):
    html = client.get(reverse("protection:register", args=["platforms"]), {"region": "广东"}).content.decode()
    assert "中山海外知识产权纠纷应对指导地方工作平台" in html and "海口" not in html


@pytest.mark.parametrize(
    "model",
    [
        "centre",
        "platform",
        "workstation",
        "provincialcount",
        "publishedtotal",
        "city",
        "centrefigures",
        "platformfigures",
        "registrychange",
    ],
)
def test_admin_lists_open_for_headquarters(client, reviewer, model):
    client.force_login(reviewer)
    assert client.get(reverse(f"admin:protection_{model}_changelist")).status_code == 200


@pytest.mark.parametrize(
    "query, present, absent",
    [
        ({"q": "海口"}, "海口市知识产权保护中心", "北京知识产权保护中心"),
        ({"kind__exact": "rapid"}, "深圳福田快速维权中心", "北京知识产权保护中心"),
        ({"status__exact": "construction"}, "唐山市知识产权保护中心", "北京知识产权保护中心"),
        ({"operating_in": "2024"}, "温州市知识产权保护中心", "海口市知识产权保护中心"),
        ({"approved_year": "2025"}, "江西省国家级知识产权保护中心", "北京知识产权保护中心"),
    ],
)
def test_admin_centre_list_filters_and_search(client, reviewer, query, present, absent):
    client.force_login(reviewer)
    html = client.get(reverse("admin:protection_centre_changelist"), query).content.decode()
    assert present in html and absent not in html


def test_admin_centre_list_filters_by_region(client, reviewer):
    from .conftest import region

    client.force_login(reviewer)
    html = client.get(reverse("admin:protection_centre_changelist"), {"region__id__exact": region("吉林").pk})
    assert "长春市知识产权保护中心" in html.content.decode()
    assert "海口市知识产权保护中心" not in html.content.decode()


def test_admin_centre_list_costs_a_constant_number_of_queries(client, reviewer, django_assert_max_num_queries):
    client.force_login(reviewer)
    client.get(reverse("admin:protection_centre_changelist"))
    with django_assert_max_num_queries(20):
        client.get(reverse("admin:protection_centre_changelist"))


def test_admin_summary_page(client, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("admin:protection_summary"))
    assert response.status_code == 200
    assert (
        "no region" in response.content.decode()
        or "全国" in response.content.decode()
        or "无地区" in (response.content.decode())
    )


def test_admin_summary_needs_a_signed_in_user(client):
    assert client.get(reverse("admin:protection_summary")).status_code == 302
