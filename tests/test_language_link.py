"""The language menu is made of GET links (``core/language.py``): no CSRF token on the page, no open redirect."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def choose(client, language, next_url):
    return client.get(reverse("choose_language"), {"language": language, "next": next_url})


def test_the_menu_links_switch_the_language_and_come_back(client):
    page = client.get("/summaries/").content.decode()
    assert "csrfmiddlewaretoken" not in page
    assert 'href="/language/?language=en&amp;next=/summaries/"' in page
    response = choose(client, "en", "/summaries/?year=2025")
    assert response.status_code == 302
    assert response["Location"] == "/summaries/?year=2025"
    assert response.cookies["django_language"].value == "en"
    assert "no-store" in response["Cache-Control"]
    assert "IP annual records" in client.get("/summaries/").content.decode()
    choose(client, "zh-hans", "/")
    assert "知识产权年报管理系统" in client.get("/summaries/").content.decode()


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "",
    ],
)
def test_another_site_is_never_a_target(client, target):
    response = choose(client, "en", target)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_an_unknown_language_is_refused_and_sets_nothing(client):
    response = choose(client, "fr", "/")
    assert response.status_code == 400
    assert "“fr”" in response.content.decode()
    assert "django_language" not in response.cookies


def test_the_link_writes_no_record_and_takes_no_post(client):
    assert client.post(reverse("choose_language"), {"language": "en"}).status_code == 405
