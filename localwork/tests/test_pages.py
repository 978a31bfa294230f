"""The public page in the report's order with the typical cases, the print view, and the DOCX/Markdown export."""

import io

import pytest
from django.urls import reverse
from docx import Document

from review.models import State

from ..models import WorkSummary
from .factories import WorkSummaryFactory

pytestmark = pytest.mark.django_db

# The report's order of the 地方工作 chapter.
REPORT_ORDER = [
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
    "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区",
    "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区",
    "新疆维吾尔自治区", "新疆生产建设兵团",
]  # fmt: skip


def positions(content: str, names: list[str], marker: str) -> list[int]:
    return [content.index(marker.format(name)) for name in names]


def test_public_page_in_the_report_order_with_the_cases(client):
    response = client.get(reverse("localwork:year", args=[2025]))
    assert response.status_code == 200
    content = response.content.decode()
    found = positions(content, REPORT_ORDER, "<h2>{}</h2>")
    assert found == sorted(found)
    assert "中国科学院深圳先进技术研究院构建“成果超市”" in content
    assert "青海省加强专利创造转化，驱动盐湖产业生态重构" in content
    assert content.count("<tr><td>4</td>") == 30


def test_unpublished_summaries_stay_off_the_page(client, officer):
    WorkSummaryFactory(year=2025 + 10, narrative="草稿不公开")
    assert client.get(reverse("localwork:year", args=[2035])).status_code == 404
    beijing = WorkSummary.objects.get(year=2025, region__name_zh="北京")
    WorkSummary.objects.filter(pk=beijing.pk).update(state=State.REOPENED)
    content = client.get(reverse("localwork:year", args=[2025])).content.decode()
    assert "<h2>北京市</h2>" not in content and "<h2>天津市</h2>" in content


def test_index_lists_the_published_years(client):
    content = client.get(reverse("localwork:index")).content.decode()
    assert reverse("localwork:year", args=[2025]) in content


def test_print_view_is_a_clean_page(client):
    response = client.get(reverse("localwork:print", args=[2025]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "@media print" in content and "@page" in content
    assert "<header>" not in content  # no site header or language menu
    found = positions(content, REPORT_ORDER, "<h2>{}</h2>")
    assert found == sorted(found)


def test_markdown_export(client):
    response = client.get(reverse("localwork:export-markdown", args=[2025]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/markdown")
    assert "work-summaries-2025.md" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    found = positions(text, REPORT_ORDER, "\n## {}\n")
    assert found == sorted(found)
    for summary in WorkSummary.objects.filter(year=2025):
        assert summary.narrative in text
    assert "30. 青海省加强专利创造转化，驱动盐湖产业生态重构（青海省）" in text


def test_markdown_export_escapes_raw_html(client):
    WorkSummaryFactory(year=2040, narrative="文字<script>alert(1)</script>", state=State.APPROVED)
    text = client.get(reverse("localwork:export-markdown", args=[2040])).content.decode()
    assert "<script>" not in text and "&lt;script>" in text


def test_docx_export(client):
    response = client.get(reverse("localwork:export-docx", args=[2025]))
    assert response.status_code == 200
    assert "work-summaries-2025.docx" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:32] == REPORT_ORDER
    text = "\n".join(p.text for p in document.paragraphs)
    for summary in WorkSummary.objects.filter(year=2025):
        assert summary.narrative in text
    (table,) = document.tables
    assert len(table.rows) == 31
    assert [cell.text for cell in table.rows[22].cells] == [
        "4", "22", "中国科学院深圳先进技术研究院构建“成果超市”，驱动知识产权高效转移转化", "广东省",
    ]  # fmt: skip


def test_docx_keeps_markdown_formatting_and_drops_html(client):
    WorkSummaryFactory(
        year=2041,
        narrative="**重点**工作\n\n- 第一项\n- 第二项\n\n<b>原样</b>",
        key_measures="措施甲",
        state=State.APPROVED,
    )
    document = Document(io.BytesIO(client.get(reverse("localwork:export-docx", args=[2041])).content))
    bold = [run.text for p in document.paragraphs for run in p.runs if run.bold]
    assert "重点" in bold
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["第一项", "第二项", "措施甲"]  # the narrative's list, then the key measures
    assert any(p.text == "<b>原样</b>" for p in document.paragraphs)


def test_nothing_published_is_404(client):
    for name in ("localwork:year", "localwork:print", "localwork:export-docx", "localwork:export-markdown"):
        assert client.get(reverse(name, args=[1999])).status_code == 404
