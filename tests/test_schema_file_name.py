"""The schema download's file name reads in a browser, in the reader's language (it was MIME-encoded whole)."""

from urllib.parse import quote

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query, suffix", [("", "yaml"), ("?format=json", "json")])
def test_the_chinese_title_is_sent_in_the_form_browsers_decode(client, query, suffix):
    disposition = client.get(f"/api/v1/schema/{query}").headers["Content-Disposition"]
    assert disposition == f"inline; filename*=utf-8''{quote('知识产权年报管理系统 API')}.{suffix}"


def test_in_english_the_plain_form(client):
    disposition = client.get("/api/v1/schema/?lang=en").headers["Content-Disposition"]
    assert disposition == 'inline; filename="IP annual records API.yaml"'


def test_the_schema_still_leaves_itself_out(client):
    paths = client.get("/api/v1/schema/?format=json").json()["paths"]
    assert "/api/v1/schema/" not in paths
    assert "/api/v1/region-patent-figures/" in paths
