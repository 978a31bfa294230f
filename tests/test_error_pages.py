"""Issue 14: the site's own 403, 404 and 500 pages, in the reader's language, and the smaller layout defects
(favicon, language menu, tracker link, DOCX page size, API docs without a CDN).

The officer who followed the tracker link got a bare English "403 Forbidden"; a missing page and a server error
were Django's plain pages. They are the site's pages now (``templates/403.html``, ``404.html``, ``500.html``).
"""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import path, reverse
from django.views import defaults

from config.urls import urlpatterns as site_urlpatterns
from review.models import RegionAssignment
from review.roles import GROUP_NAMES, Role, ensure_role_groups
from statistics.tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE_NAME_ZH = "知识产权年报管理系统"


def failing_view(request):
    raise RuntimeError("a bug in a view")


# A test-only URL configuration: the site's own URLs plus one view that fails.
urlpatterns = [*site_urlpatterns, path("test-only/fails/", failing_view)]


def person(role, region=None, **extra):
    ensure_role_groups()
    user = UserFactory(is_staff=True, **extra)
    user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    if region is not None:
        RegionAssignment.objects.create(user=user, region=region)
    return user


@pytest.fixture
def officer():
    return person(Role.OFFICER, RegionFactory())


def english(client):
    client.cookies["django_language"] = "en"
    return client


# -- 403 ---------------------------------------------------------------------------------------------------------


def test_an_officer_opening_the_tracker_gets_the_sites_chinese_403(client, officer):
    client.force_login(officer)
    response = client.get(reverse("returns:tracker"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "403 Forbidden" not in page and "<h1>Forbidden" not in page
    assert "<h1>无权访问</h1>" in page
    assert SITE_NAME_ZH in page and 'class="site"' in page  # the site's header and footer (base.html)
    assert "总部审核人员" in page or "总部" in page  # the view's reason, translated


def test_the_403_page_is_english_when_the_user_chose_english(client, officer):
    client.force_login(officer)
    response = english(client).get(reverse("returns:tracker"))
    assert response.status_code == 403
    assert "<h1>Access denied</h1>" in response.content.decode()


def test_the_admin_refuses_with_the_same_page(client, officer):
    """An officer may not open the user list: the admin raises PermissionDenied or redirects to its login; a
    refusal, when there is one, is the site's page."""
    client.force_login(officer)
    response = client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code in (302, 403)
    if response.status_code == 403:
        assert "<h1>无权访问</h1>" in response.content.decode()


def test_an_officer_is_not_offered_the_tracker(client, officer):
    client.force_login(officer)
    assert reverse("returns:tracker") not in client.get("/").content.decode()


def test_a_reviewer_is_offered_the_tracker(client):
    client.force_login(person(Role.REVIEWER))
    assert reverse("returns:tracker") in client.get("/").content.decode()


# -- 404 ---------------------------------------------------------------------------------------------------------


def test_a_missing_page_is_the_sites_chinese_404(client):
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>页面不存在</h1>" in page
    assert SITE_NAME_ZH in page
    assert "Not Found" not in page and "The requested resource" not in page


def test_the_404_page_is_english_when_chosen(client):
    response = english(client).get("/no-such-page/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()


# -- 500 ---------------------------------------------------------------------------------------------------------


@pytest.mark.urls("tests.test_error_pages")
def test_a_server_error_is_the_sites_chinese_500(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/test-only/fails/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "<h1>服务器出现错误</h1>" in page
    assert SITE_NAME_ZH in page
    assert "Server Error (500)" not in page and "a bug in a view" not in page


@pytest.mark.urls("tests.test_error_pages")
def test_the_500_page_is_english_when_chosen(settings):
    settings.DEBUG = False
    client = english(Client(raise_request_exception=False))
    response = client.get("/test-only/fails/")
    assert response.status_code == 500
    assert "<h1>Something went wrong on the server</h1>" in response.content.decode()


def test_the_500_page_needs_no_request_context_and_no_database(rf, django_assert_num_queries):
    """Django renders 500.html without a context when the error may be the database itself."""
    with django_assert_num_queries(0):
        response = defaults.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "<h1>服务器出现错误</h1>" in response.content.decode()


# -- the base layout -----------------------------------------------------------------------------------------------


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg")
    assert 'rel="icon"' in client.get("/").content.decode()


def test_the_language_menu_names_each_language_in_its_own_name(client):
    page = client.get("/").content.decode()
    links = dict(re.findall(r'<a href="/language/\?language=([\w-]+)[^"]*" lang="[\w-]+"[^>]*>([^<]+)</a>', page))
    assert links == {"zh-hans": "简体中文", "en": "English"}
    assert ">英文<" not in page


def test_the_navigation_folds_on_narrow_screens(client):
    page = client.get("/").content.decode()
    assert 'class="menu-toggle"' in page and 'for="site-menu"' in page


# -- API documentation without internet ------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_api_documentation_loads_nothing_from_the_internet(client, url):
    client.force_login(person(Role.REVIEWER))
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']+)', page) + re.findall(r'["\'](https?://[^"\']+\.js)', page)
    assert sources, "the page loads its scripts"
    remote = [source for source in sources if re.match(r"(?i)(https?:)?//", source)]
    assert not remote, remote
    assert any("/static/drf_spectacular_sidecar/" in source for source in sources)


# -- DOCX export of the work summaries -------------------------------------------------------------------------


def test_the_docx_export_is_a4_like_the_print_view():
    from docx import Document

    from localwork.exports import to_docx

    document = Document(io.BytesIO(to_docx(2099)))  # a year without summaries: still a titled document
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    margins = (section.top_margin, section.left_margin, section.right_margin, section.bottom_margin)
    assert [round(margin.cm, 2) for margin in margins] == [2.0, 2.0, 2.0, 2.2]  # stored in twips: 2 cm ≈ 1134
