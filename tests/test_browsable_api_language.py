"""The browsable API names its pages in the reader's language (``core/api_names.py``, ``rest_framework/api.html``)."""

import re

import pytest
from django.test import Client

TITLE = re.compile(r"<title>(.*?)</title>", re.S)
HEADING = re.compile(r"<h1>(.*?)</h1>", re.S)
URLS = ["/api/v1/", "/api/v1/region-patent-figures/?year=2025", "/api/v1/regions/110000/", "/api/v1/index-editions/"]


def page(url, language="zh-hans"):
    client = Client()
    client.cookies["django_language"] = language
    response = client.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_chinese_pages_name_the_view_in_chinese(url):
    text = page(url)
    for found in (TITLE.search(text).group(1), HEADING.search(text).group(1)):
        assert not re.sub(r"\bAPI\b", "", found).isascii(), found
        assert not re.search(r"[A-Za-z]{3,}", re.sub(r"\bAPI\b", "", found)), found  # no English words
    assert "Django REST framework" not in text
    assert "Tables 1, 3, 5" not in text  # the developers' docstring stays out of a Chinese page


@pytest.mark.django_db
def test_english_pages_name_the_view_in_english_with_its_description():
    text = page("/api/v1/region-patent-figures/?year=2025", "en")
    assert HEADING.search(text).group(1) == "Domestic patent figures (tables 1, 3, 5)"
    assert "Tables 1, 3, 5: domestic patent filings" in text
    assert "IP annual records API" in TITLE.search(text).group(1)


@pytest.mark.django_db
def test_an_action_is_named_after_its_model_and_its_translated_label():
    from core.api_names import view_name
    from localwork.api.views import WorkSummaryViewSet

    view = WorkSummaryViewSet(name="Return ")
    assert view_name(view) == "工作总结 · 退回"


def registered_lists() -> list[str]:
    from config.api_urls import router

    return [f"/api/v1/{prefix}/" for prefix, _viewset, _basename in router.registry]


@pytest.mark.django_db
@pytest.mark.parametrize("url", registered_lists())
def test_every_list_is_named_after_what_it_lists(url, admin_user):
    """Not the bare "API" a view gets when its name cannot be found (a view with no ``queryset`` attribute)."""
    client = Client()
    client.force_login(admin_user)
    client.cookies["django_language"] = "zh-hans"
    text = client.get(url, HTTP_ACCEPT="text/html").content.decode()
    heading = HEADING.search(text).group(1).strip()
    assert heading != "API" and not heading.isascii(), heading


@pytest.mark.django_db
def test_a_national_figure_page_is_named_in_the_singular():
    from statistics.models import NationalFigure

    figure = NationalFigure.objects.order_by("pk").first()
    assert HEADING.search(page(f"/api/v1/national-figures/{figure.pk}/", "en")).group(1) == "National figure"
    assert HEADING.search(page("/api/v1/national-figures/", "en")).group(1) == "National figures"
