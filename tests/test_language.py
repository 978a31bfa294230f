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


def test_every_template_string_has_a_chinese_translation():
    """Every ``{% translate "…" %}`` of every template the site can render (ours and the libraries': the admin,
    django-filter, import-export, DRF) reads in Chinese: a library whose own catalogue lacks one (Django's admin has
    no Chinese "Error:") gets it from ours."""
    import re
    from pathlib import Path

    from django.conf import settings
    from django.template.utils import get_app_template_dirs
    from django.utils import translation

    tag = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])((?:(?!\1).)+)\1""")
    folders = [*settings.TEMPLATES[0]["DIRS"], *get_app_template_dirs("templates")]
    with translation.override("zh-hans"):
        missing = {
            (text, path.name)
            for folder in folders
            for path in Path(folder).rglob("*.html")
            for _quote, text in tag.findall(path.read_text(encoding="utf-8"))
            if translation.gettext(text) == text
        }
    assert not missing, sorted(missing)


@pytest.mark.django_db
def test_every_permission_reads_in_chinese_in_the_admins_pickers(admin_client):
    """Django stores permission names in English once; the group and user pages name them in the reader's language
    (``core.permission_labels``). Only product names stay as they are."""
    import re

    from django.contrib.auth.models import Permission
    from django.utils import translation

    from core.permission_labels import permission_label

    products = {"Axes", "Knox", "API", "django-rest-knox", "django", "rest", "knox"}
    with translation.override("zh-hans"):
        labels = [permission_label(permission) for permission in Permission.objects.select_related("content_type")]
    english = {label for label in labels if set(re.findall(r"[A-Za-z][A-Za-z_]+", label)) - products}
    assert not english, sorted(english)[:10]
    page = admin_client.get("/admin/auth/group/add/").content.decode()
    assert "可以查看保护中心" in page and "Can view" not in page


@pytest.mark.django_db
def test_every_string_of_the_admins_scripts_has_a_chinese_translation(admin_client):
    """The admin's scripts (the two-pane pickers, the calendar …) read their text from ``/admin/jsi18n/``; Django's
    Chinese catalogue lacks some of the pickers' ("Choose all %s"), and ours gives them (``djangojs.po``)."""
    import json
    import re
    from pathlib import Path

    import django

    scripts = Path(django.__file__).parent / "contrib" / "admin" / "static" / "admin" / "js"
    call = re.compile(r"""(?<![\w.])n?gettext\(\s*(['"])((?:(?!\1).)+)\1""")
    texts = {
        text
        for path in scripts.rglob("*.js")
        if "vendor" not in path.parts
        for _quote, text in call.findall(path.read_text(encoding="utf-8"))
    }
    page = admin_client.get("/admin/jsi18n/").content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", page, re.S).group(1))
    missing = sorted(text.replace('\\"', '"') for text in texts if text.replace('\\"', '"') not in catalog)
    assert len(texts) > 20 and not missing, missing


@pytest.mark.django_db
def test_an_administrator_reads_a_users_own_permissions_in_chinese(client, django_user_model):
    """Not a superuser, an administrator sees a user's own permissions read-only: named as the pickers name them."""
    from django.contrib.auth.models import Permission

    from review.roles import Role
    from tests.contracts.factories import person

    account = django_user_model.objects.create_user("holder", is_staff=True)
    account.user_permissions.add(Permission.objects.get(codename="view_centre"))
    client.force_login(person(Role.ADMINISTRATOR))
    page = client.get(f"/admin/auth/user/{account.pk}/change/").content.decode()
    assert "可以查看保护中心" in page and "Can view" not in page
    assert 'name="user_permissions"' not in page  # still read-only
