"""The interface is Chinese by default, whatever the browser asks for; English only when the user chooses it."""

import pytest

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese(client):
    response = client.get("/", **ENGLISH_BROWSER)
    assert "知识产权年报管理系统" in response.content.decode()
    assert response["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_the_admin_login_is_chinese_by_default(client):
    response = client.get("/admin/login/", **ENGLISH_BROWSER)
    assert "用户名" in response.content.decode()


@pytest.mark.django_db
def test_choosing_english_switches_the_interface_and_back(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "IP annual records" in english and "知识产权年报管理系统" not in english
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "知识产权年报管理系统" in client.get("/", **ENGLISH_BROWSER).content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_chinese(client):
    client.cookies["django_language"] = "fr"
    assert "知识产权年报管理系统" in client.get("/").content.decode()
