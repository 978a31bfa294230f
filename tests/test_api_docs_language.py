"""The API documentation (Swagger UI, Redoc) and the schema carry their title and description in the reader's
language: Chinese by default, English for a reader who chose English."""

import html
import re

import pytest
from django.conf import settings
from django.urls import reverse

CHINESE_TITLE = "知识产权年报管理系统 API"
ENGLISH_TITLE = "IP annual records API"


def reader(client, language):
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def page_title(response) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)).strip()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["api:docs", "api:redoc"])
@pytest.mark.parametrize(
    ("language", "title"), [(None, CHINESE_TITLE), ("zh-hans", CHINESE_TITLE), ("en", ENGLISH_TITLE)]
)
def test_the_documentation_pages_title_follows_the_language(client, name, language, title):
    response = reader(client, language).get(reverse(name))
    assert response.status_code == 200
    assert page_title(response) == title


@pytest.mark.django_db
def test_the_schema_title_and_description_follow_the_language(client):
    chinese = client.get(reverse("api:schema"), {"format": "json"})
    english = reader(client, "en").get(reverse("api:schema"), {"format": "json"})
    assert chinese.status_code == english.status_code == 200
    assert chinese.json()["info"]["title"] == CHINESE_TITLE
    assert chinese.json()["info"]["description"].startswith("全国知识产权统计数据")
    assert english.json()["info"]["title"] == ENGLISH_TITLE
    assert english.json()["info"]["description"].startswith("National IP statistics")
