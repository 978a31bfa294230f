#!/usr/bin/env python3
"""Extract the IP-power index results and frameworks from the 2025 index report into fixtures/evaluation/*.csv.

Runs with plain python3 (stdlib only): ``python3 scripts/extract_index_results.py [--check]``.

The report (``fixtures/sources/ip_power_index_report_2025.txt``, a copy of the seed) is a PDF extract: sentences
break across lines, page breaks start a line with a space, and footnotes sit in the middle of the body text. The
script
  * drops the footnote blocks (a line ``<n> <text>`` with n ≤ 14 before the appendix, up to the next page start,
    plus the one continuation of footnote 14 that the PDF put on the next page) and the spaces, keeping for each
    character the line it came from;
  * reads each result sentence with a pattern whose groups are the printed numbers, so every value comes from the
    text, never from this file; a pattern that does not match stops the script;
  * writes each result with the line of its number and its whole sentence, and adds the previous year's score as
    *derived* (this year − increment) wherever a score and its increment are both printed;
  * reads the frameworks: the national groups and their indicator counts from the chapter's sub-sections, the
    regional groups from the appendix text, the numbers and units of 表 3 and 表 4, and footnote 14's strategic
    regions. The four regions' membership is not printed; it is the National Bureau of Statistics' standard
    division, written here as such.

``--check`` compares the files on disk with a fresh extraction and exits 1 if they differ.
"""

import csv
import io
import os
import re
import sys
from decimal import Decimal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, "fixtures", "sources", "ip_power_index_report_2025.txt")
OUT = os.path.join(ROOT, "fixtures", "evaluation")
APPENDIX_LINE = 2074  # "附录：" — footnote detection stops here (表 4's rows also start with a number)
FOOTNOTE_CONTINUATIONS = [(1696, 1698, "9地省域数据。")]  # footnote 14, continued at the foot of the next page
YEAR = 2025

NBS_SOURCE = "国家统计局《东西中部和东北地区划分方法》（2011年）；报告未列出四大区域的组成"
FOUR_REGIONS = {
    "东部": "北京 天津 河北 上海 江苏 浙江 福建 山东 广东 海南",
    "中部": "山西 安徽 江西 河南 湖北 湖南",
    "西部": "内蒙古 广西 重庆 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆",
    "东北": "辽宁 吉林 黑龙江",
}
STRATEGIC = ["京津冀", "长江经济带", "粤港澳大湾区", "长三角", "黄河流域"]
# The 31 provinces the regional index scores (not 港澳台), by their short names as the report prints them.
PROVINCES = [
    *[
        "北京",
        "天津",
        "河北",
        "山西",
        "内蒙古",
        "辽宁",
        "吉林",
        "黑龙江",
        "上海",
        "江苏",
        "浙江",
        "安徽",
        "福建",
        "江西",
        "山东",
        "河南",
    ],
    *[
        "湖北",
        "湖南",
        "广东",
        "广西",
        "海南",
        "重庆",
        "四川",
        "贵州",
        "云南",
        "西藏",
        "陕西",
        "甘肃",
        "青海",
        "宁夏",
        "新疆",
    ],
]
NATIONAL_NAMES_EN = {
    "知识产权制度": "IP system",
    "知识产权保护": "IP protection",
    "知识产权市场运行": "IP market operation",
    "知识产权公共服务": "IP public services",
    "知识产权人文社会环境": "Cultural and social environment for IP",
    "参与全球知识产权治理": "Participation in global IP governance",
}
REGIONAL_NAMES_EN = {
    "知识产权保护": "IP protection",
    "市场运行": "Market operation",
    "发展环境": "Development environment",
    "司法保护": "Judicial protection",
    "行政保护": "Administrative protection",
    "协同保护": "Coordinated protection",
    "高质量创造": "High-quality creation",
    "运用机制": "Utilisation mechanisms",
    "市场运营": "Commercialisation",
    "知识产权制度建设": "IP institution building",
    "公共服务": "Public services",
    "人才发展": "Talent development",
}
N = r"(\d+(?:\.\d+)?)"  # a printed number
HEADING = re.compile(r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|图 ?\d+|第[一二三四五六七八九十]+章)")


class Text:
    """The body text without footnotes and spaces, with the source line of every character."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as source:
            self.lines = source.read().split("\n")
        skipped = self.footnote_lines()
        chars, where, self.breaks = [], [], [0]
        for number, line in enumerate(self.lines, start=1):
            if number in skipped:
                continue
            for char in line:
                if not char.isspace():
                    chars.append(char)
                    where.append(number)
            if HEADING.match(line.strip()) and "。" not in line:
                self.breaks.append(len(chars))  # a heading ends a sentence though it has no full stop
        self.flat = "".join(chars)
        self.where = where

    def footnote_lines(self):
        skipped, inside = set(), False
        for number, line in enumerate(self.lines[: APPENDIX_LINE - 1], start=1):
            if re.match(r"^([1-9]|1[0-4]) \S", line) and not re.match(r"^\d+ \d", line):
                inside = True
            elif line.startswith(" "):
                inside = False
            if inside:
                skipped.add(number)
        for first, last, ending in FOOTNOTE_CONTINUATIONS:
            if not self.lines[last - 1].strip().endswith(ending):
                raise SystemExit(f"line {last} no longer ends footnote 14 ({ending!r}): check the source")
            skipped.update(range(first, last + 1))
        return skipped

    def find(self, pattern, after_line=1):
        start = next(i for i, line in enumerate(self.where) if line >= after_line)
        match = re.compile(pattern).search(self.flat, start)
        if match is None:
            raise SystemExit(f"not found after line {after_line}: {pattern}")
        return match

    def line_of(self, match, group):
        return self.where[match.start(group)]

    def sentence(self, match, group=0, last_group=None):
        """The whole sentence (to the full stops either side) around a group of a match, or the sentences from the
        one holding ``group`` to the one holding ``last_group``."""
        begin = self.flat.rfind("。", 0, match.start(group)) + 1
        begin = max(begin, *(b for b in self.breaks if b <= match.start(group)))
        end = self.flat.find("。", match.end(group if last_group is None else last_group))
        return self.flat[begin : end + 1 if end >= 0 else len(self.flat)]


class Results:
    def __init__(self, text):
        self.text = text
        self.rows = []
        self.by_key = {}

    def add(self, match, group, *, index, scope, component="", measure="score", value=None, change=None, **extra):
        """One printed result; ``value``/``change`` name the match's groups that hold the printed numbers."""
        row = {
            "index": index,
            "year": YEAR,
            "scope": scope,
            "component": component,
            "measure": measure,
            "value": match.group(value) if value else "",
            "change": match.group(change) if change else "",
            "position": extra.get("position", ""),
            "compared_with": extra.get("compared_with", ""),
            "status": "published",
            "derived_from": "",
            "formula": "",
            "source_line": self.text.line_of(match, group),
            "source_sentence": self.text.sentence(match, 0 if extra.get("whole") else group, extra.get("last")),
            "also_printed_at": "",
            "note": extra.get("note", ""),
        }
        key = key_of(row)
        if key in self.by_key:
            raise SystemExit(f"two results for {key}")
        self.by_key[key] = row
        self.rows.append(row)
        return row

    def repeated(self, match, group, *, index, scope, component="", value=None, change=None):
        """A sentence that repeats a result already read: the numbers must agree; its line is recorded."""
        row = self.by_key[key_of({"index": index, "year": YEAR, "scope": scope, "component": component,
                                  "measure": "score", "compared_with": ""})]  # fmt: skip
        for name, column in ((value, "value"), (change, "change")):
            if name and Decimal(match.group(name)) != Decimal(row[column]):
                raise SystemExit(f"line {self.text.line_of(match, name)} repeats {key_of(row)} with another {column}")
        line = str(self.text.line_of(match, group))
        lines = [item for item in row["also_printed_at"].split(" ") if item]
        if line not in lines and line != str(row["source_line"]):
            row["also_printed_at"] = " ".join([*lines, line])

    def derive_previous_year(self):
        for row in list(self.rows):
            if row["measure"] == "score" and row["value"] and row["change"]:
                previous = Decimal(row["value"]) - Decimal(row["change"])
                self.rows.append(
                    {
                        **row,
                        "year": YEAR - 1,
                        "value": str(previous),
                        "change": "",
                        "status": "derived",
                        "derived_from": key_of(row),
                        "formula": f"{row['value']} − {row['change']}",
                        "also_printed_at": "",
                        "note": "",
                    }
                )


def key_of(row):
    parts = [row["index"], str(row["year"]), row["scope"], row["component"] or "composite", row["measure"]]
    if row.get("compared_with"):
        parts.append(row["compared_with"])
    return "/".join(parts)


def national_results(text, results):
    nat = {"index": "national", "scope": "全国"}
    chapter = text.find(r"一、知识产权强国建设指数稳步提升").start()
    chapter_line = text.where[chapter]
    m = text.find(rf"知识产权强国建设指数达到{N}分，较上年提升{N}分", chapter_line)
    results.add(m, 1, **nat, value=1, change=2)
    # The sub-sections: each sub-index with its indicator count, score and increment.
    for heading in re.compile(
        rf"（[一二三四五六]）(?P<sub>[^。（]+?指数)[^。]*?。(?P=sub)(?:包括|包含)[^。]*?共计(?P<count>\d+)个指标"
        rf"[，。][^。]*?(?P=sub)得分(?P<v>{N})分，(?:较|比)上年提高(?P<c>{N})分",
    ).finditer(text.flat, chapter):
        group = heading.group("sub")[: -len("指数")]
        results.add(heading, "v", **nat, component=group, value="v", change="c")
    m = text.find(rf"市场运行指数得分{N}分，比上年提高{N}分，增长{N}%，增速较上年提升{N}个百分点", chapter_line)
    results.add(m, 3, **nat, component="知识产权市场运行", measure="growth_rate", value=3, change=4,
                note="增速较上年提升的百分点记为变化")  # fmt: skip
    # The lists that repeat the scores: the chapter's overview and the summary's section 三.
    for m in re.finditer(rf"知识产权强国建设指数(?:稳步提升，)?达到{N}分，较上年(?:提升|提高){N}分", text.flat):
        results.repeated(m, 1, **nat, value=1, change=2)
    for after in (1, chapter_line):
        m = text.find(
            rf"知识产权制度指数得分{N}分，保护指数得分{N}分，市场运行指数得分{N}分，公共服务指数得分{N}分，"
            rf"人文社会环境指数得分{N}分，参与全球知识产权治理指数得分{N}分，较上年分别增长"
            rf"{N}分、{N}分、{N}分、{N}分、{N}分和{N}分",
            after,
        )
        for number, group in enumerate(NATIONAL_NAMES_EN, start=1):
            results.repeated(m, number, **nat, component=group, value=number, change=number + 6)


def regional_results(text, results):
    reg = {"index": "regional"}
    section = text.where[text.find(r"二、地区知识产权发展指数均值持续提升").start()]
    m = text.find(rf"地区发展指数平均得分{N}分，较上年提高{N}分；中位数为{N}分，较上年提高{N}分", section)
    results.add(m, 1, **reg, scope="平均值", value=1, change=2)
    results.add(m, 3, **reg, scope="中位数", value=3, change=4)
    m = text.find(r"其中，((?:[^、，。]+、)+[^、，。]+)等地区知识产权发展水平位居全国前列", section)
    for position, name in enumerate(m.group(1).split("、"), start=1):
        results.add(m, 1, **reg, scope=name, measure="leading", position=position)
    m = text.find(r"(\d+)个省份的地区发展指数得分高于平均值", section)
    results.add(m, 1, **reg, scope="全国", measure="count_above_mean", value=1)
    m = text.find(r"地区发展指数得分超过80分的省份达到(\d+)个，相较上年增加([^。，]+?)。", section)
    results.add(m, 1, **reg, scope="全国", measure="count_above_80", value=1)
    results.add(m, 2, **reg, scope=m.group(2), measure="newly_above_80")
    m = text.find(
        r"((?:[^、，。]+、)+[^、，。]+)和([^、，。]+)增幅排在前(\d+)位，较上年分别增长((?:[\d.]+分、)+[\d.]+分和[\d.]+分)",
        section,
    )
    largest(text, results, m, [*m.group(1).split("、"), m.group(2)], 4, component="")
    # The three sub-indices, in the chapter's order.
    for group, sub in (
        ("知识产权保护", "知识产权保护"),
        ("市场运行", "知识产权市场运行"),
        ("发展环境", "知识产权发展环境"),
    ):
        start = text.where[text.find(rf"地区{sub}指数方面。").start()]
        m = text.find(rf"地区{sub}指数平均得分{N}分，较上年增长{N}分，中位数为?{N}分，较上年(?:增长|提高){N}分", start)
        results.add(m, 1, **reg, scope="平均值", component=group, value=1, change=2)
        results.add(m, 3, **reg, scope="中位数", component=group, value=3, change=4)
        m = text.find(
            r"其中，([^，。]+?)等(?:地区|地)(?:得分)?增幅较大，较上年依次增长((?:[\d.]+分、)+[\d.]+分)", start
        )
        largest(text, results, m, re.split(r"、|和", m.group(1)), 2, component=group)
        m = text.find(rf"(\d+)个省份的地区{sub}指数得分超过80分", start)
        results.add(m, 1, **reg, scope="全国", component=group, measure="count_above_80", value=1)
        newly = re.compile(r"较上年新增((?:[^、，。]+、)*[^、，。\d]+)(\d+)个地区").match(text.flat, m.end() + 1)
        if newly:
            for name in newly.group(1).split("、"):
                results.add(newly, 1, **reg, scope=name, component=group, measure="newly_above_80")
        m = text.find(rf"((?:[^、，。]+、)+[^、，。]+)等(\d+)个地区{sub}指数得分超过全国平均水平", start)
        results.add(m, 2, **reg, scope="全国", component=group, measure="count_above_mean", value=2)
        for position, name in enumerate(m.group(1).split("、"), start=1):
            results.add(m, 1, **reg, scope=name, component=group, measure="named_above_mean", position=position)
    four_regions(text, results, section)
    strategic_regions(text, results, section)
    # The summary's section 三 repeats the mean, the median and the four regions' composites.
    m = text.find(rf"地区知识产权发展指数平均得分{N}分，较上年提高{N}分，中位数为{N}分，较上年提高{N}分")
    results.repeated(m, 1, **reg, scope="平均值", value=1, change=2)
    results.repeated(m, 3, **reg, scope="中位数", value=3, change=4)
    m = text.find(rf"展指数\d?平均得分持续提升，达到{N}分，较上年提高{N}")
    results.repeated(m, 1, **reg, scope="平均值", value=1, change=2)
    m = text.find(rf"地区知识产权发展指数平均得分依次为{N}分、{N}分、{N}分和{N}分，较上年得分依次增长"
                  rf"{N}分、{N}分、{N}分和{N}分")  # fmt: skip
    for number, name in enumerate(FOUR_REGIONS, start=1):
        results.repeated(m, number, **reg, scope=name, value=number, change=number + 4)
    for after in (1, section):
        m = text.find(r"平均得分从高到低依次为((?:[^（]+（[\d.]+分）[、和]?)+)", after)
        for part in re.compile(r"([^（、和]+?)(?:地区)?（([\d.]+)分）").finditer(text.flat, m.start(1), m.end(1)):
            results.repeated(part, 2, **reg, scope=part.group(1), value=2)


def largest(text, results, m, names, numbers_group, component):
    increments = re.findall(r"[\d.]+", m.group(numbers_group))
    if len(names) != len(increments):
        raise SystemExit(f"line {text.line_of(m, 1)}: {len(names)} provinces but {len(increments)} increments")
    for position, (name, increment) in enumerate(zip(names, increments, strict=True), start=1):
        number = text.find(re.escape(increment) + "分", text.line_of(m, numbers_group))
        results.add(
            number, 0, index="regional", scope=name, component=component, measure="largest_increase",
            change=None, position=position,
        )  # fmt: skip
        results.rows[-1]["change"] = increment


def four_regions(text, results, section):
    reg = {"index": "regional"}
    start = text.where[text.find(r"（二）东部知识产权发展继续领先").start()]
    names = list(FOUR_REGIONS)
    m = text.find(rf"东部、中部、西部和东北地区知识产权发展指数平均得分依次为{N}分、{N}分、{N}分和{N}分，"
                  rf"较上年得分依次增长{N}分、{N}分、{N}分和{N}分", start)  # fmt: skip
    for number, name in enumerate(names, start=1):
        results.add(m, number, **reg, scope=name, value=number, change=number + 4)
    m = text.find(rf"在知识产权保护指数方面，东部、中部、西部和东北地区的平均得分依次为{N}分、{N}分、{N}分和{N}分，"
                  rf"东部和中部地区增长幅度较大，分别较上年增长{N}分、{N}分，西部和东北地区分别较上年增长{N}分、{N}分",
                  start)  # fmt: skip
    for number, name in enumerate(names, start=1):
        results.add(m, number, **reg, scope=name, component="知识产权保护", value=number, change=number + 4)
    m = text.find(rf"在知识产权市场运行指数方面，东部、中部、西部和东北地区的平均得分依次为{N}分、{N}分、{N}分、{N}分，"
                  rf"东部、中部和西部地区分别较上年增长{N}分、{N}分、{N}分", start)  # fmt: skip
    for number, name in enumerate(names, start=1):
        change = number + 4 if number < 4 else None
        results.add(m, number, **reg, scope=name, component="市场运行", value=number, change=change)
    m = text.find(rf"在知识产权发展环境指数方面，东部、中部、西部和东北地区的平均得分依次为{N}分、{N}分、{N}分、{N}分，"
                  rf"中部、西部和东北地区增幅相对较大，分别较上年增长{N}分、{N}分、{N}分", start)  # fmt: skip
    for number, name in enumerate(names, start=1):
        change = number + 3 if number > 1 else None
        results.add(m, number, **reg, scope=name, component="发展环境", value=number, change=change)


def strategic_regions(text, results, section):
    reg = {"index": "regional", "whole": True}  # sentences from the one naming the region
    start = text.where[text.find(r"（三）粤港澳大湾区知识产权发展指数继续保持领先").start()]
    m = text.find(rf"粤港澳大湾区知识产权发展指数平均得分{N}分，较上年增长{N}分。知识产权保护、市场运行及发展环"
                  rf"境指数平均得分分别为{N}分、{N}分、{N}分", start)  # fmt: skip
    results.add(m, 1, **reg, scope="粤港澳大湾区", value=1, change=2)
    for number, group in enumerate(("知识产权保护", "市场运行", "发展环境"), start=3):
        results.add(m, number, **reg, scope="粤港澳大湾区", component=group, value=number)
    m = text.find(rf"长江经济带知识产权发展指数平均得分{N}分，较上年增长{N}分。知识产权保护、市场运行及发展环境指数"
                  rf"平均得分分别为{N}分、{N}分、{N}分，其中知识产权发展环境指数较上年增长{N}分", start)  # fmt: skip
    results.add(m, 1, **reg, scope="长江经济带", value=1, change=2)
    results.add(m, 3, **reg, scope="长江经济带", component="知识产权保护", value=3)
    results.add(m, 4, **reg, scope="长江经济带", component="市场运行", value=4)
    results.add(m, 5, **reg, scope="长江经济带", component="发展环境", value=5, change=6)
    m = text.find(rf"长三角知识产权发展指数平均得分{N}分，较上年提高{N}分，为增长最快的区域。分领域来看，知识产权保护、"
                  rf"市场运行及发展环境指数平均得分分别为{N}分、{N}分、{N}分，均实现增长。其中，知识产权市场运行指数较上年"
                  rf"增长{N}分", start)  # fmt: skip
    results.add(m, 1, **reg, scope="长三角", value=1, change=2)
    results.add(m, 3, **reg, scope="长三角", component="知识产权保护", value=3)
    results.add(m, 4, **reg, scope="长三角", component="市场运行", value=4, change=6)
    results.add(m, 5, **reg, scope="长三角", component="发展环境", value=5)
    m = text.find(rf"与长江经济带相比，长三角知识产权发展指数高出{N}分，保持了在长江经济带的领先地位，尤其是知识产权"
                  rf"市场运行指数高出长江经济带{N}分", start)  # fmt: skip
    results.add(m, 1, **reg, scope="长三角", measure="gap", value=1, compared_with="长江经济带")
    results.add(m, 2, **reg, scope="长三角", component="市场运行", measure="gap", value=2, compared_with="长江经济带")
    m = text.find(rf"京津冀区域知识产权发展指数平均得分{N}分，较上年增长{N}分。知识产权保护体系指数平均得分{N}分，"
                  rf"较上年增长{N}分，与市场运行指数（{N}分）、发展环境指数（{N}分）", start)  # fmt: skip
    results.add(m, 1, **reg, scope="京津冀", value=1, change=2)
    results.add(m, 3, **reg, scope="京津冀", component="知识产权保护", value=3, change=4,
                note="报告此处称“知识产权保护体系指数”")  # fmt: skip
    results.add(m, 5, **reg, scope="京津冀", component="市场运行", value=5)
    results.add(m, 6, **reg, scope="京津冀", component="发展环境", value=6)
    m = text.find(rf"黄河流域地区知识产权发展指数平均得分{N}分，较上年平均得分增长{N}分。知识产权保护、市场运行及发展"
                  rf"环境指数平均得分分别为{N}分、{N}分、{N}分，较上年增长{N}分、{N}分、{N}分", start)  # fmt: skip
    results.add(m, 1, **reg, scope="黄河流域", value=1, change=2)
    for number, group in enumerate(("知识产权保护", "市场运行", "发展环境"), start=3):
        results.add(m, number, **reg, scope="黄河流域", component=group, value=number, change=number + 3)


def scopes():
    rows = [("national", "全国", ""), ("mean", "平均值", ""), ("median", "中位数", "")]
    rows += [("four_region", name, "") for name in FOUR_REGIONS]
    rows += [("strategic_region", name, "") for name in STRATEGIC]
    rows += [("province", name, name) for name in PROVINCES]
    return [{"kind": kind, "name_zh": name, "region": region, "position": i} for i, (kind, name, region) in
            enumerate(rows)]  # fmt: skip


def memberships(text):
    rows = []
    for group, members in FOUR_REGIONS.items():
        rows += [{"group": group, "province": name, "source_kind": "standard", "source": NBS_SOURCE,
                  "source_line": ""} for name in members.split()]  # fmt: skip
    # Footnote 14 is not in the body text; read it from the lines themselves.
    lines = text.lines
    start = next(i for i, line in enumerate(lines, start=1) if line.startswith("14 因统计数据限制"))
    footnote, where = "", []
    for number in [*range(start, start + 5), *range(FOOTNOTE_CONTINUATIONS[0][0], FOOTNOTE_CONTINUATIONS[0][1] + 1)]:
        for char in lines[number - 1][3 if number == start else 0 :]:
            if not char.isspace():
                footnote += char
                where.append(number)
    clause_pattern = r"(?P<group>[^，。]+?)(?:区域|地区)?采用(?P<members>[^，。]+?)(?:等(?P<n>\d+)地)?省域?数据"
    for clause in re.finditer(clause_pattern, footnote):
        members = [name.removesuffix("省") for name in re.split(r"、|和|及", clause.group("members"))]
        if clause.group("n") and int(clause.group("n")) != len(members):
            raise SystemExit(f"footnote 14: {clause.group('group')} names {len(members)}, not {clause.group('n')}")
        group = clause.group("group").removeprefix("因统计数据限制，")
        if group not in STRATEGIC:
            raise SystemExit(f"footnote 14: unknown region {group}")
        source = f"脚注14：{clause.group(0)}"
        for name in members:
            if name not in PROVINCES:
                raise SystemExit(f"footnote 14: {name} is not a province")
            line = where[clause.start("members") + clause.group("members").index(name)]
            rows.append({"group": group, "province": name, "source_kind": "report", "source": source,
                         "source_line": line})  # fmt: skip
    if {row["group"] for row in rows if row["source_kind"] == "report"} != set(STRATEGIC):
        raise SystemExit("footnote 14 does not name all five strategic regions")
    return rows


def unit_and_kind(name, unit):
    if unit == "%":
        return "percentage"
    if unit == "分":
        return "score"
    if name.startswith("每"):
        return "intensity"
    if unit in ("万元", "亿元"):
        return "amount"
    return "count"


def table_rows(text, first_line, last_line):
    """(number, name, unit, line, labels-before) of a table's numbered rows; labels are the group names' pieces."""
    rows, labels = [], ""
    for number in range(first_line, last_line + 1):
        line = text.lines[number - 1].strip()
        row = re.match(r"^(\d+) (.+?)（([^）]*)）?$", line) or re.match(r"^(\d+) (.+?)（(.*)$", line)
        if row:
            rows.append((int(row.group(1)), row.group(2).strip(), row.group(3).rstrip("）)"), number, labels))
            labels = ""
        elif line and not re.match(r"^\d+$", line) and not line.startswith("表"):
            labels += re.sub(r"\s", "", line)
    rows = [
        (n, name, unit, where, re.sub(r"一级指标(二级指标)?编号[二三]级指标", "", labels))
        for n, name, unit, where, labels in rows
    ]
    return rows


def frameworks(text):
    groups, indicators = [], []
    chapter = text.find(r"一、知识产权强国建设指数稳步提升")
    total = text.find(r"等六个方面选取(\d+)个指标", text.where[chapter.start()])
    first = 1
    pattern = re.compile(
        r"（[一二三四五六]）(?P<sub>[^。（]+?指数)[^。]*?。(?P=sub)(?:包括|包含)[^。]*?共计(?P<count>\d+)个指标"
    )
    for match in pattern.finditer(text.flat, chapter.start()):
        heading = match
        name = heading.group("sub")[: -len("指数")]
        count = int(heading.group("count"))
        groups.append({
            "framework": "national", "group": name, "subgroup": "", "name_en": NATIONAL_NAMES_EN[name],
            "subindex_name_zh": heading.group("sub"), "indicator_count": count, "count_basis": "printed",
            "first_number": first, "last_number": first + count - 1, "range_basis": "derived",
            "source_line": text.line_of(match, "count"), "source_text": text.sentence(match, "count"),
        })  # fmt: skip
        first += count
    if first - 1 != int(total.group(1)):
        raise SystemExit(f"the national groups hold {first - 1} indicators, the report says {total.group(1)}")
    table3 = next(i for i, line in enumerate(text.lines, start=1) if line.startswith("表 3"))
    table4 = next(i for i, line in enumerate(text.lines, start=1) if line.startswith("表 4"))
    printed = {row[0]: row for row in table_rows(text, table3, table4 - 1)}
    for row in printed.values():  # the labels printed before a row must be its derived group's
        if row[4]:
            label = row[4]
            group = next(g for g in groups if g["first_number"] <= row[0] <= g["last_number"])
            if label != group["group"]:
                raise SystemExit(f"表 3 prints {label} before No. {row[0]}, which the counts put in {group['group']}")
    for group in groups:
        for number in range(group["first_number"], group["last_number"] + 1):
            row = printed.get(number)
            indicators.append({
                "framework": "national", "number": number, "group": group["group"], "subgroup": "",
                "in_source_text": "true" if row else "false", "direction": "higher",
                "value_kind": unit_and_kind(row[1], row[2]) if row else "unknown", "source_line": row[3] if row else "",
            })  # fmt: skip
    # Regional: the appendix names the groups; 表 4 prints Nos. 1–62 under them.
    m = text.find(r"共设置一级指标(\d+)个，分别为(.+?)，其中，(.+?)。相应的，设置三级指标(\d+)个", APPENDIX_LINE)
    tops = re.split(r"、|及|以及", m.group(2))
    if len(tops) != int(m.group(1)):
        raise SystemExit("the regional first-level groups do not match their printed count")
    subs = {}
    for part in m.group(3).split("；"):
        clause = re.match(r"(.+?)设置二级指标(\d+)个，分别为(.+)", part)
        names = [name for name in re.split(r"、|以及|及|和", clause.group(3)) if name]
        if len(names) != int(clause.group(2)):
            raise SystemExit(f"{clause.group(1)}: {len(names)} second-level groups, printed {clause.group(2)}")
        subs[clause.group(1)] = names
    line = text.line_of(m, 0)
    sentence = text.sentence(m, 0)
    rows4 = table_rows(text, table4, len(text.lines))
    current, members = None, {}
    for number, _name, _unit, _line, labels in rows4:
        found = [(labels.rfind(name), name) for names in subs.values() for name in names if name in labels]
        if found:
            current = max(found)[1]
        members.setdefault(current, []).append(number)
    last_printed = rows4[-1][0]
    regional_total = int(m.group(4))
    flat_subs = [(top, name) for top in tops for name in subs[top]]
    for top in tops:
        numbers = [n for name in subs[top] for n in members.get(name, [])]
        complete = (
            numbers and max(numbers) < last_printed and all(members.get(name) for name in subs[top])
        )  # the next group starts within the printed rows
        groups.append({
            "framework": "regional", "group": top, "subgroup": "", "name_en": REGIONAL_NAMES_EN[top],
            "subindex_name_zh": f"地区知识产权{top.removeprefix('知识产权')}指数",
            "indicator_count": len(numbers) if complete else "", "count_basis": "derived" if complete else "unknown",
            "first_number": min(numbers) if numbers else "", "last_number": max(numbers) if complete else "",
            "range_basis": "printed" if complete else "unknown", "source_line": line, "source_text": sentence,
        })  # fmt: skip
        for name in subs[top]:
            numbers = members.get(name, [])
            complete = bool(numbers) and max(numbers) < last_printed
            groups.append({
                "framework": "regional", "group": top, "subgroup": name, "name_en": REGIONAL_NAMES_EN[name],
                "subindex_name_zh": "", "indicator_count": len(numbers) if complete else "",
                "count_basis": "derived" if complete else "unknown",
                "first_number": min(numbers) if numbers else "", "last_number": max(numbers) if complete else "",
                "range_basis": "printed" if numbers else "unknown", "source_line": line, "source_text": sentence,
            })  # fmt: skip
    placed = {n: name for name, numbers in members.items() for n in numbers}
    for number in range(1, regional_total + 1):
        row = next((r for r in rows4 if r[0] == number), None)
        sub = placed.get(number, "")
        top = next((t for t, s in flat_subs if s == sub), "")
        indicators.append({
            "framework": "regional", "number": number, "group": top, "subgroup": sub,
            "in_source_text": "true" if row else "false", "direction": "higher",
            "value_kind": unit_and_kind(row[1], row[2]) if row else "unknown", "source_line": row[3] if row else "",
        })  # fmt: skip
    return groups, indicators


def write(name, rows, check):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = os.path.join(OUT, name)
    if check:
        with open(path, encoding="utf-8") as existing:
            if existing.read() != buffer.getvalue():
                print(f"{path} differs from a fresh extraction", file=sys.stderr)
                return False
        return True
    os.makedirs(OUT, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(buffer.getvalue())
    print(f"{path}: {len(rows)} rows")
    return True


def main(argv):
    check = "--check" in argv
    text = Text(SOURCE)
    results = Results(text)
    national_results(text, results)
    regional_results(text, results)
    results.derive_previous_year()
    groups, indicators = frameworks(text)
    known = {row["name_zh"] for row in scopes()}
    for row in results.rows:
        for column in ("scope", "compared_with"):
            if row[column] and row[column] not in known:
                raise SystemExit(f"line {row['source_line']}: unknown scope {row[column]}")
    ok = all(
        [
            write("framework_groups.csv", groups, check),
            write("framework_indicators.csv", indicators, check),
            write("scopes.csv", scopes(), check),
            write("memberships.csv", memberships(text), check),
            write("index_results.csv", results.rows, check),
        ]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
