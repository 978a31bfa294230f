"""The stored index results against the report, read here on their own terms (not by the extraction script).

Three checks, each independent of ``scripts/extract_index_results.py``:
  * each published result's number is printed on its source line, and its source sentence is made of whole,
    consecutive lines of the report (a footnote in between may be skipped), naming its scope and component;
  * completeness: every score ("… 分") printed in the chapter's index sections is a stored value or change, apart
    from a short list of indicator values that are not index results (each with its reason);
  * a derived result is its printed result's value minus its increment.
"""

import re
from decimal import Decimal

import pytest

from evaluation.models import Measure, PublishedResult, ScopeKind, Status

from .conftest import squeeze

pytestmark = pytest.mark.django_db

# The chapter's index sections: 一、知识产权强国建设指数稳步提升 … the end of 二、地区知识产权发展指数.
CHAPTER = (1297, 1829)
# Scores printed there that are indicator values, not index results.
NOT_INDEX_RESULTS = {
    (1372, "0.5"): "专利审查质量用户满意度指数: an indicator of the 制度 group",
    (1402, "0.32"): "知识产权保护社会满意度: indicator No. 26",
    (1801, "1.9"): "京津冀's 知识产权保护社会满意度: an indicator",
}
# How a component is named in a sentence: the national sub-index names, or the regional short names.
COMPONENT_WORDS = {
    "知识产权制度": "制度",
    "知识产权保护": "保护",
    "知识产权市场运行": "市场运行",
    "知识产权公共服务": "公共服务",
    "知识产权人文社会环境": "人文社会环境",
    "参与全球知识产权治理": "全球知识产权治理",
    "市场运行": "市场运行",
    "发展环境": "发展环境",
}


def printed(number: Decimal) -> list[str]:
    """The ways the report may print a stored number: 131.80 as 131.8, 0.20 as 0.20, 17.00 as 17."""
    text = format(number, "f")
    forms = {text}
    if "." in text:
        forms.add(text.rstrip("0").rstrip("."))
        if len(text.split(".")[1]) > 2:
            forms.add(f"{number:.2f}")
    return sorted(forms, key=len, reverse=True)


def spans_whole_lines(sentence: str, lines: list[str], line: int) -> bool:
    """True if ``sentence`` (no whitespace) runs over consecutive report lines around ``line``: it starts inside a
    line, continues through whole lines, and ends inside a line; up to 8 lines between (a footnote, a page break)
    may be skipped whole."""
    squeezed = [squeeze(text) for text in lines]
    for start in range(max(1, line - 14), line + 1):
        head = squeezed[start - 1]
        for cut in range(len(head)):
            if not sentence.startswith(head[cut:]) or not head[cut:]:
                continue
            rest, skipped, current = sentence[len(head) - cut :], 0, start
            while rest and current < len(squeezed) and skipped <= 8:
                current += 1
                text = squeezed[current - 1]
                if not text:
                    continue
                if rest.startswith(text):
                    rest = rest[len(text) :]
                elif text.startswith(rest):
                    rest = ""
                else:
                    skipped += 1
            if not rest and start <= line <= current:
                return True
    return False


def published():
    return list(
        PublishedResult.objects.filter(status=Status.PUBLISHED).select_related("scope", "component", "compared_with")
    )


def test_the_report_prints_about_two_hundred_index_numbers_and_all_are_stored():
    results = published()
    numbers = sum((r.value is not None) + (r.change is not None) for r in results)
    assert len(results) == 93
    # Counted by hand in the report: national 2 + 6×2 + 2 (market growth) = 16; regional mean and median 4, counts 2,
    # fastest five 5, sub-indices 3×9 = 27, four regions 8 + 8 + 7 + 7 = 30, strategic regions 5 + 6 + 6 + 2 + 6 + 8
    # = 33: 117 numbers, besides the 17 provinces named in lists.
    assert numbers == 117
    assert sum(r.value is None and r.change is None for r in results) == 17
    assert PublishedResult.objects.filter(status=Status.DERIVED).count() == 40


def test_each_number_is_printed_on_its_source_line(report_lines):
    for result in published():
        line = squeeze(report_lines[result.source_line - 1])
        number = result.value if result.value is not None else result.change
        if number is None:  # a province named in a list: its name starts on the line
            window = "".join(squeeze(text) for text in report_lines[result.source_line - 1 : result.source_line + 3])
            assert result.scope.name_zh in window, result.key
            continue
        assert any(form in line for form in printed(number)), (result.key, result.source_line, line)


def test_each_change_is_printed_in_its_sentence():
    for result in published():
        if result.change is not None:
            assert any(f"{form}分" in result.source_sentence or f"{form}个百分点" in result.source_sentence
                       for form in printed(result.change)), result.key  # fmt: skip


def test_each_sentence_is_whole_lines_of_the_report(report_lines):
    for result in published():
        assert spans_whole_lines(result.source_sentence, report_lines, result.source_line), (
            result.key,
            result.source_line,
        )


def test_each_sentence_names_its_scope_and_component():
    for result in published():
        sentence = result.source_sentence
        if result.scope.kind in (ScopeKind.PROVINCE, ScopeKind.FOUR_REGION, ScopeKind.STRATEGIC_REGION):
            assert result.scope.name_zh in sentence, result.key
        if result.scope.kind == ScopeKind.MEDIAN:
            assert "中位数" in sentence, result.key
        if result.scope.kind == ScopeKind.MEAN:
            assert "平均" in sentence, result.key
        if result.component_id and result.measure != Measure.LARGEST_INCREASE:
            assert COMPONENT_WORDS[result.component.name_zh] in sentence, result.key
        if result.compared_with_id:
            assert result.compared_with.name_zh in sentence, result.key


def test_repeated_printings_agree(report_lines):
    """The summary and the chapter's overview repeat some results: the same number is on each line named."""
    repeated = [r for r in published() if r.also_printed_at]
    assert len(repeated) >= 15
    for result in repeated:
        for line in result.also_printed_at.split():
            text = squeeze(report_lines[int(line) - 1])
            assert any(form in text for form in printed(result.value)), (result.key, line)


def test_every_score_printed_in_the_chapter_is_stored(report_lines):
    """Completeness: each "<number>分" of the index sections is a stored value or change (or a named exception)."""
    stored = {}
    for result in published():
        for number in (result.value, result.change):
            if number is not None:
                for form in printed(number):
                    stored.setdefault(form, set()).add(result.source_line)
    missing = []
    first, last = CHAPTER
    for number in range(first, last + 1):
        text = squeeze(report_lines[number - 1])
        if text.startswith("图"):
            continue
        for found in re.finditer(r"(?<![\d.])(?<!超过)(\d+(?:\.\d+)?)分", text):  # "超过 80 分" is a threshold
            if (number, found.group(1)) in NOT_INDEX_RESULTS:
                continue
            if found.group(1) not in stored:
                missing.append((number, found.group(1)))
    assert missing == []


def test_every_province_count_of_the_regional_section_is_stored(report_lines):
    section = "".join(squeeze(text) for text in report_lines[1550:1606])  # lines 1551–1606
    counts = [a or b for a, b in re.findall(r"(\d+)个(?:省份|地区)|省份达到(\d+)个", section)]
    stored = {
        format(r.value, "f").split(".")[0]
        for r in published()
        if r.measure in (Measure.COUNT_ABOVE_80, Measure.COUNT_ABOVE_MEAN)
    }
    # "较上年新增四川、辽宁 2个地区" counts the newly-above rows (two named provinces), not a stored count.
    assert sorted(set(counts) - {"2"}) == sorted(stored)
    newly = PublishedResult.objects.filter(measure=Measure.NEWLY_ABOVE_80, component__name_zh="发展环境")
    assert sorted(newly.values_list("scope__name_zh", flat=True)) == ["四川", "辽宁"]


def test_the_headline_results_as_printed():
    """A few results read by eye from the report, with their lines (the abstract repeats the first two)."""

    def get(key):
        return PublishedResult.objects.get(key=key)

    composite = get("national/2025/全国/composite/score")
    assert (composite.value, composite.change, composite.source_line) == (Decimal("131.8"), Decimal("6.3"), 1314)
    assert "25" in composite.also_printed_at.split()
    mean = get("regional/2025/平均值/composite/score")
    assert (mean.value, mean.change, mean.source_line) == (Decimal("81.73"), Decimal("0.73"), 1555)
    assert get("regional/2025/东北/市场运行/score").change is None  # 东北's market increment is not printed
    assert get("regional/2025/东部/发展环境/score").change is None  # nor 东部's environment increment
    assert get("regional/2025/长三角/composite/gap/长江经济带").value == Decimal("5.39")
    fastest = PublishedResult.objects.filter(
        year=2025, index="regional", component=None, measure=Measure.LARGEST_INCREASE
    ).order_by("position")
    assert [(r.scope.name_zh, r.change) for r in fastest] == [
        ("海南", Decimal("2.28")),
        ("四川", Decimal("1.98")),
        ("内蒙古", Decimal("1.85")),
        ("浙江", Decimal("1.63")),
        ("重庆", Decimal("1.42")),
    ]
    leading = PublishedResult.objects.filter(year=2025, measure=Measure.LEADING).order_by("position")
    assert [r.scope.name_zh for r in leading] == ["广东", "上海", "北京", "浙江", "江苏"]


def test_derived_results_are_last_year_by_the_printed_increment():
    derived = PublishedResult.objects.filter(status=Status.DERIVED).select_related("derived_from")
    for result in derived:
        parent = result.derived_from
        assert parent.status == Status.PUBLISHED
        assert result.year == parent.year - 1
        assert result.value == parent.value - parent.change
        minuend, subtrahend = result.formula.split(" − ")
        assert minuend in printed(parent.value) and subtrahend in printed(parent.change), result.formula
        assert (result.source_line, result.source_sentence) == (parent.source_line, parent.source_sentence)
    # by hand: 131.8 − 6.3 = 125.5 and 81.73 − 0.73 = 81.00
    assert PublishedResult.objects.get(key="national/2024/全国/composite/score").value == Decimal("125.5")
    assert PublishedResult.objects.get(key="regional/2024/平均值/composite/score").value == Decimal("81.00")


def test_every_printed_score_with_an_increment_has_its_derived_year():
    with_increment = PublishedResult.objects.filter(
        status=Status.PUBLISHED, measure=Measure.SCORE, value__isnull=False, change__isnull=False
    )
    assert with_increment.count() == PublishedResult.objects.filter(status=Status.DERIVED).count()
    assert all(result.derived_results.count() == 1 for result in with_increment)
