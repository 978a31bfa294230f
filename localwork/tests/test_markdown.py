"""Markdown is shown safely: formatting works, raw HTML shows as text, script and javascript: links never run."""

import pytest
from django.urls import reverse

from review.models import State

from ..text import plain_text, render_markdown
from .factories import WorkSummaryFactory


def test_formatting_is_kept():
    html = str(render_markdown("## 举措\n\n**加强**保护：\n\n- 专利转化\n- 海外维权\n\n[链接](https://example.org)"))
    assert "<h2>举措</h2>" in html
    assert "<strong>加强</strong>" in html
    assert "<li>专利转化</li>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script>",
        "段落<script>alert('x')</script>",
        '<img src=x onerror="alert(1)">',
        '<div onclick="alert(1)">点击</div>',
        '<iframe src="https://evil.example"></iframe>',
    ],
)
def test_raw_html_is_shown_as_text_never_as_markup(text):
    html = str(render_markdown(text))
    assert "<script" not in html
    assert "<img" not in html
    assert "<div" not in html
    assert "<iframe" not in html
    assert "&lt;" in html  # the tag is visible as text


@pytest.mark.parametrize(
    "text", ["[点我](javascript:alert(1))", "[点我](JaVaScRiPt:alert(1))", "[点我](data:text/html;base64,PHNjcmlwdD4=)"]
)
def test_dangerous_links_lose_their_target(text):
    html = str(render_markdown(text))
    assert "javascript" not in html.lower()
    assert "data:" not in html
    assert "点我" in html


def test_plain_text_drops_markup():
    assert plain_text("**专利**转化") == "专利转化"
    assert plain_text("<b>x</b>") == "<b>x</b>"  # shown as text, so searched as text


@pytest.mark.django_db
def test_script_in_a_published_summary_is_neutralised_on_the_public_page(client):
    WorkSummaryFactory(narrative="正文<script>alert('x')</script>", state=State.APPROVED, year=2030)
    response = client.get(reverse("localwork:year", args=[2030]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert" in content
