"""Search in Chinese: substring matching on folded text, the same on SQLite and PostgreSQL (this suite runs on both).

Expected regions were counted in the report's 地方工作 chapter: 海外维权 occurs in one paragraph (天津) and in the
title of case 21; 专利转化 occurs in 19 paragraphs and in the title of case 25.
"""

import pytest
from django.urls import reverse

from review.models import State

from ..search import search, terms_of
from ..text import normalize_for_search
from .conftest import chapter_paragraphs
from .factories import WorkSummaryFactory

pytestmark = pytest.mark.django_db

PATENT_TRANSFER_REGIONS = [
    "北京", "河北", "山西", "内蒙古", "辽宁", "吉林", "江苏", "江西", "河南", "湖北", "湖南", "广东", "贵州", "云南",
    "陕西", "甘肃", "青海", "新疆", "新疆生产建设兵团",
]  # fmt: skip


def summary_regions(hits):
    return [hit.region.name_zh for hit in hits if hit.kind == "summary"]


def case_numbers(hits):
    return [hit.obj.number for hit in hits if hit.kind == "case"]


def test_patent_transfer():
    hits = search("专利转化")
    assert summary_regions(hits) == PATENT_TRANSFER_REGIONS  # in the report's order
    assert len(PATENT_TRANSFER_REGIONS) == sum("专利转化" in paragraph for paragraph in chapter_paragraphs())
    assert case_numbers(hits) == [25]


def test_overseas_rights_protection():
    hits = search("海外维权")
    assert summary_regions(hits) == ["天津"]
    assert case_numbers(hits) == [21]
    summary, case = hits
    assert (summary.year, case.year) == (2025, 2025)
    assert summary.region.full_name_zh == "天津市" and case.region.name_zh == "广东"
    assert "<mark>海外维权</mark>" in summary.snippet
    assert case.snippet == "广东省深圳市构建立体化<mark>海外维权</mark>工作格局，护航企业扬帆出海"


def test_snippet_is_a_window_around_the_first_match():
    (hit,) = [hit for hit in search("雄安高价值专利大赛") if hit.kind == "summary"]
    assert hit.region.name_zh == "河北"
    text = str(hit.snippet)
    assert text.startswith("…") and text.endswith("…")
    assert "<mark>雄安高价值专利大赛</mark>" in text
    assert len(text) < 200


def test_all_terms_must_match():
    both = summary_regions(search("专利转化 盐湖"))
    assert both == ["青海"]


def test_spaces_and_width_do_not_matter():
    # The report prints "2025 年" with a space; a reader types "2025年", in full-width digits or not.
    assert summary_regions(search("海南省２０２５年知识产权强国建设纲要")) == ["海南"]
    assert summary_regions(search("海南省 2025 年知识产权")) == summary_regions(search("海南省2025年知识产权"))


def test_latin_letters_match_in_any_case_on_every_database():
    lower = summary_regions(search("tisc"))
    assert lower == summary_regions(search("TISC")) == summary_regions(search("ＴＩＳＣ"))
    assert "山西" in lower


def test_like_wildcards_are_plain_characters():
    with_percent = sum("%" in paragraph for paragraph in chapter_paragraphs())
    assert len(summary_regions(search("%"))) == with_percent < 32
    assert search("_") == []


def test_folding_of_text_and_query():
    assert normalize_for_search("ＴＩＳＣ（技术） 2025 年\n专利") == "tisc(技术)2025年专利"


def test_filters_by_year_and_region():
    from statistics.models import Region

    guangdong = Region.objects.lookup("广东")
    assert [hit.region.name_zh for hit in search("专利转化", region=guangdong)] == ["广东"]
    assert search("专利转化", year=2024) == []


def test_unpublished_summaries_are_not_found():
    WorkSummaryFactory(narrative="独一无二的草稿短语", state=State.DRAFT)
    assert search("独一无二的草稿短语") == []
    WorkSummaryFactory(narrative="独一无二的已发布短语", state=State.APPROVED, year=2031)
    assert summary_regions(search("独一无二的已发布短语")) == ["北京"]


def test_key_measures_are_searched_and_markup_is_not():
    WorkSummaryFactory(narrative="**加粗**文字", key_measures="建设数据中心", state=State.APPROVED, year=2032)
    assert summary_regions(search("加粗文字")) == ["北京"]
    assert summary_regions(search("建设数据中心")) == ["北京"]


def test_empty_query_finds_nothing():
    assert search("") == [] and search("   ") == []
    assert terms_of(" 专利  转化 专利 ") == ["专利", "转化"]


def test_search_page(client):
    response = client.get(reverse("localwork:search"), {"q": "海外维权"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<mark>海外维权</mark>" in content
    assert "天津市" in content and "2025" in content
    assert client.get(reverse("localwork:search"), {"q": "海外维权", "year": "abc"}).status_code == 400
