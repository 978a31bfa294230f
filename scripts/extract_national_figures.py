"""Extract candidate national figures (a value with a unit) from the prose of the two 2025 reports.

This is the first step of how ``fixtures/national/figures.csv`` was made; a person then read every candidate's
sentence and corrected the series name, unit, qualifier, year and change (see docs/decisions.md, "National
figures"). The script writes ``fixtures/national/candidates.csv``; it never touches the checked file.

What is read:

* the annual report (``fixtures/sources/annual_report_2025.txt``): the headline achievements (十四五成就), the
  director's message (局长致辞) and the chapters from 强国建设 to 宣传、人才培养和学术活动. Not read: 年度要事 (dated
  events), 地方工作 (provincial, not national figures), the appendix tables and the chapters' small tables (tab
  separated; they are chapter tables, stored cell by cell elsewhere).
* the index report (``fixtures/sources/ip_power_index_report_2025.txt``): 第一章 and 第二章, which give the national
  indicator levels (mostly of 2024). Not read: the summary (摘要), which repeats those chapters, and 第三章/第四章
  and the annexes (index scores, outlook, indicator lists).

How a candidate is found: a number followed by a unit from ``UNITS`` (longest first), not preceded by 第 or 前 (an
ordinal or a rank), and not a date. Text is re-joined across the PDF's line breaks (a paragraph ends at 。；：or a
heading), so a sentence that the extraction broke over lines is one sentence; ``line`` is where it starts. A
change phrase (同比增长 5.1%, 较上年提高 0.45 分 …) right after a figure is that figure's printed change, not a
figure of its own. The qualifier is read from the words around the number (超过, 超, 逾, 近, 约, 累计, 共计 before;
余, 多 between number and unit; 以上, 以内, 左右 after).

Usage: python scripts/extract_national_figures.py
"""

import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "fixtures" / "sources"
OUTPUT = ROOT / "fixtures" / "national" / "candidates.csv"

ANNUAL = ("annual_report_2025", SOURCES / "annual_report_2025.txt", 2025)
INDEX = ("ip_power_index_2025", SOURCES / "ip_power_index_report_2025.txt", 2024)

UNITS = sorted(
    [
        "件",
        "万件",
        "亿件",
        "个月",
        "个",
        "万个",
        "家",
        "万家",
        "张",
        "万张",
        "亿元",
        "万亿元",
        "万元",
        "万元/人",
        "万亿美元",
        "亿美元",
        "次",
        "万次",
        "人次",
        "万人次",
        "人",
        "万人",
        "名",
        "项",
        "期",
        "场",
        "批",
        "批次",
        "万批次",
        "万项",
        "万名",
        "万篇",
        "个工作日",
        "篇",
        "条",
        "万条",
        "亿条",
        "种",
        "门",
        "所",
        "份",
        "起",
        "分",
        "%",
        "个百分点",
        "周",
        "天",
        "倍",
        "万份",
        "场次",
        "万场次",
        "亿次",
        "个国家",
        "个城市",
        "个省",
        "个省（区、市）",
        "年",
    ],
    key=len,
    reverse=True,
)
UNIT_RE = "|".join(re.escape(unit) for unit in UNITS)
NUMBER = r"(?P<number>\d+(?:\.\d+)?)"
FIGURE = re.compile(
    r"(?P<before>超过|超|逾|近|约|累计|共计|突破)?\s*"
    + NUMBER
    + r"\s*(?P<between>余|多)?\s*(?:(?P<wan>万|亿)(?P<between2>余|多))?\s*(?P<unit>"
    + UNIT_RE
    + r")"
    r"(?P<after>\s*(?:以上|以内|左右))?"
)
CHANGE = re.compile(
    r"^[，,\s]*(?:[^。；]{0,16}?)(?P<phrase>(?:同比|较上年|比上年|较\s*\d{4}\s*年(?:年底)?|比\s*\d{4}\s*年(?:年底)?|"
    r"相较于[^，。；]{0,12}?)\s*(?:同比)?(?P<verb>增长|下降|提高|提升|增加|减少|上升|降低)了?\s*"
    r"(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>%|个百分点|分|万件|件|倍|万次|次|家|个)?)"
)
NEGATIVE = ("下降", "减少", "降低")
BOUNDS = {
    "超过": "more_than",
    "超": "more_than",
    "逾": "more_than",
    "突破": "more_than",
    "余": "more_than",
    "多": "more_than",
    "以上": "more_than",
    "以内": "at_most",
    "近": "about",
    "约": "about",
    "左右": "about",
}
YEAR_BEFORE = re.compile(r"(\d{4})\s*年(?:年底|底|的|值)?\s*[，,]?\s*$")
YEAR_VALUE = re.compile(r"^\s*[（(]\s*(\d{4})\s*年值\s*[)）]")
DATE_AFTER = re.compile(r"^\s*(?:日|月\s*\d)")
LEAD = re.compile(
    r"^(?:其中|此外|同时|全年|共|截至\s*\d{4}\s*年(?:年底|底)?|\d{4}\s*年(?:度)?|自\s*\d{4}\s*年起|[一二三四五六七八九十]是)"
    r"[，,]?\s*"
)
VERBS = re.compile(
    r"(?:达到|达|为|提升至|提升到|提高到|压减至|稳定在|增至|超过|突破|保持在|累计|共计|共|已|约|近|超|逾)+$"
)
CLAUSE_BREAK = re.compile(r"[，,、；;：:。（(）)]")


def clean(text: str) -> str:
    """The text as a reader sees it: the PDF's bold and superscript markup removed."""
    text = re.sub(r"<sup>.*?</sup>", "", text)
    return text.replace("**", "").replace("<b>", "").replace("</b>", "")


def annual_paragraphs(lines):
    """(chapter, section, [(line number, text), …]) for the annual report's chapters read by this script."""
    chapter, section, skip = "", "", True
    buffer, blank_run = [], 0
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        heading = re.match(r"^(#+)\s*(.+?)\s*$", line)
        plain_chapter = line.replace(" ", "") in ("创造", "保护")
        if heading or plain_chapter:
            if buffer:
                yield chapter, section, buffer
                buffer = []
            title = clean(heading.group(2) if heading else line).replace(" ", "")
            level = len(heading.group(1)) if heading else 1
            if level == 1 and title not in ("CNIPA", "CONTENTS目录"):
                chapter, section = title.replace("•", "").strip(), ""
                skip = chapter in ("年度要事", "地方工作") or chapter.startswith("附录")
                if chapter == "地方工作":
                    return
            elif level > 1:
                section = title.replace("•", "").strip()
            continue
        if skip or chapter in ("", "CNIPA"):
            continue
        if not line:
            blank_run += 1
            if chapter.startswith("知识产权“十四五”成就") and blank_run >= 2 and buffer:
                yield chapter, section, buffer
                buffer = []
            continue
        blank_run = 0
        if "\t" in raw or line.startswith("单位") or line.startswith("(单位") or line.startswith("（单位"):
            continue
        buffer.append((number, line))
        if re.search(r"[。；：！？]$", clean(line)) and not chapter.startswith("知识产权“十四五”成就"):
            yield chapter, section, buffer
            buffer = []
    if buffer:
        yield chapter, section, buffer


def index_paragraphs(lines):
    """(chapter, section, [(line number, text), …]) for 第一章 and 第二章 of the index report."""
    chapter, section, read = "", "", False
    buffer = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        chapter_match = re.match(r"^第[一二三四五六七八九十]章\s*(.+)$", line)
        heading = re.match(r"^[一二三四五六七八九十]+、\s*(\S.*)$", line)
        if chapter_match:
            if buffer and read:
                yield chapter, section, buffer
            buffer = []
            chapter = line.replace(" ", "")
            read = line.startswith(("第一章", "第二章"))
            section = ""
            continue
        if not read:
            continue
        if heading and not re.search(r"[。；]", line):
            if buffer:
                yield chapter, section, buffer
                buffer = []
            section = line
            continue
        if re.match(r"^(类型|年份|类型/年份)", line) or re.fullmatch(r"\S+(\s+\d+(\.\d+)?){3,}", line):
            continue  # a small table (表 1, 表 2 of the index report), not prose
        if (
            not line
            or re.fullmatch(r"\d+", line)
            or re.match(r"^(图|表)\s*\d+", line)
            or re.match(r"^\d{1,2}\s+\D", line)
        ):
            continue
        buffer.append((number, line))
        if re.search(r"[。；]$", line):
            yield chapter, section, buffer
            buffer = []
    if buffer and read:
        yield chapter, section, buffer


def sentences(text: str):
    """(offset, sentence) pieces of a paragraph, ending at 。 or ；."""
    for match in re.finditer(r"[^。；]+[。；]?", text):
        yield match.start(), match.group(0)


def line_of(pieces: list[tuple[int, str]], offset: int) -> int:
    """The source line holding the character at ``offset`` of the joined paragraph (raw text, markup included)."""
    seen = 0
    for number, part in pieces:
        seen += len(part)
        if offset < seen:
            return number
    return pieces[-1][0]


def series_name(sentence: str, start: int, end: int) -> str:
    """A first guess at the measure's name: the clause before the number, or the noun after the unit."""
    before = sentence[:start]
    cut = max((m.end() for m in CLAUSE_BREAK.finditer(before)), default=0)
    prefix = LEAD.sub("", before[cut:].strip())
    prefix = LEAD.sub("", prefix)
    prefix = re.split(r"从", prefix)[0] if "从" in prefix[1:] else prefix
    prefix = re.sub(r"(?:分别|(?<!平)均)$", "", VERBS.sub("", prefix).strip())
    prefix = VERBS.sub("", prefix).strip()
    after = sentence[end:]
    stop = CLAUSE_BREAK.search(after)
    suffix = after[: stop.start()] if stop else after
    suffix = re.split(r"\d", suffix)[0].strip()
    if len(prefix) >= 4:
        return prefix
    return (prefix + suffix).strip() or prefix


def figures_of(document, year, chapter, section, pieces):
    """Every candidate figure of one paragraph, given as (line number, text) pieces."""
    text = "".join(part for _number, part in pieces)
    plain = clean(text)
    for sentence_start, sentence in sentences(plain):
        taken = []
        matches = [match for match in FIGURE.finditer(sentence) if _is_figure(sentence, match)]
        change_spans = []
        for index, match in enumerate(matches):
            if any(a <= match.start("number") < b for a, b in change_spans):
                continue
            following = sentence[match.end() :]
            nxt = matches[index + 1].start() if index + 1 < len(matches) else len(sentence)
            change = CHANGE.match(following)
            change_value = change_kind = change_text = ""
            if change and match.end() + change.start("phrase") < nxt:
                number = change.group("number")
                sign = "-" if change.group("verb") in NEGATIVE else ""
                change_value = sign + number
                change_unit = change.group("unit") or ""
                change_kind = {"%": "percent", "个百分点": "points", "倍": "ratio"}.get(change_unit, "absolute")
                change_text = change.group("phrase").strip()
                span_start = match.end() + change.start("number")
                change_spans.append((span_start, span_start + len(number) + 1))
            qualifiers = [
                q
                for q in (
                    match.group("before"),
                    match.group("between"),
                    match.group("between2"),
                    (match.group("after") or "").strip(),
                )
                if q
            ]
            clause_start = max((m.end() for m in CLAUSE_BREAK.finditer(sentence[: match.start()])), default=0)
            if "累计" in sentence[clause_start : match.start()] and "累计" not in qualifiers:
                qualifiers.insert(0, "累计")
            bound = next((BOUNDS[q] for q in qualifiers if q in BOUNDS), "exact")
            figure_year = year
            year_before = YEAR_BEFORE.search(sentence[: match.start()])
            year_value = YEAR_VALUE.match(sentence[match.end() :])
            sentence_year = re.search(r"(?:截至|^)\s*(\d{4})\s*年", sentence)
            if year_value:
                figure_year = int(year_value.group(1))
            elif year_before:
                figure_year = int(year_before.group(1))
            elif sentence_year:
                figure_year = int(sentence_year.group(1))
            printed = sentence[match.start() : match.end()].strip()
            taken.append(
                {
                    "document": document,
                    "chapter": chapter,
                    "section": section,
                    "line": line_of(
                        pieces,
                        sentence_start
                        + match.start("number")
                        + _markup_shift(text, sentence_start + match.start("number")),
                    ),
                    "series": series_name(sentence, match.start(), match.end()),
                    "unit": (match.group("wan") or "") + match.group("unit"),
                    "year": figure_year,
                    "value": match.group("number"),
                    "printed": printed,
                    "qualifier": " ".join(qualifiers),
                    "bound": bound,
                    "change_value": change_value,
                    "change_kind": change_kind,
                    "change_text": change_text,
                    "sentence": sentence.strip(),
                }
            )
        yield from _attach_shares(taken)


def _is_figure(sentence: str, match) -> bool:
    """Not an ordinal or rank (第 3 位, 前 5000 个), not a date, not a year; 年 only as a duration (连续 6 年)."""
    lead = sentence[max(0, match.start("number") - 2) : match.start("number")].strip()
    if lead.endswith(("第", "前")) or DATE_AFTER.match(sentence[match.end("number") :]):
        return False
    if match.group("unit") == "年" and not sentence[: match.start()].rstrip().endswith("连续"):
        return False
    return not (match.group("unit") == "周" and sentence[match.end("unit") :].lstrip().startswith("年"))


def _attach_shares(taken: list[dict]) -> list[dict]:
    """A share (占总量的 92.9%) is named after the figure it divides, and a change printed after the share belongs to
    that figure (国内发明专利拥有量 539.4 万件，占总量的 85.4%，同比增长 13.4%)."""
    level = None
    for row in taken:
        if row["series"].startswith("占") and row["unit"] == "%" and level is not None:
            row["series"] = level["series"] + row["series"].rstrip("的") + "比重"
            if row["change_kind"] == "percent" and not level["change_value"]:
                for key in ("change_value", "change_kind", "change_text"):
                    level[key], row[key] = row[key], ""
        else:
            level = row
    return taken


def _markup_shift(text: str, plain_offset: int) -> int:
    """How many markup characters precede ``plain_offset`` in the raw paragraph (to map back to a line)."""
    shift, plain = 0, 0
    index = 0
    while index < len(text) and plain < plain_offset:
        for token in ("**", "<b>", "</b>"):
            if text.startswith(token, index):
                shift += len(token)
                index += len(token)
                break
        else:
            sup = re.match(r"<sup>.*?</sup>", text[index:])
            if sup:
                shift += len(sup.group(0))
                index += len(sup.group(0))
                continue
            plain += 1
            index += 1
    return shift


def extract(document, path, year, paragraphs):
    lines = path.read_text(encoding="utf-8").splitlines()
    for chapter, section, pieces in paragraphs(lines):
        yield from figures_of(document, year, chapter, section, pieces)


FIELDS = [
    "id",
    "document",
    "chapter",
    "section",
    "line",
    "series",
    "unit",
    "year",
    "value",
    "printed",
    "qualifier",
    "bound",
    "change_value",
    "change_kind",
    "change_text",
    "sentence",
]


def main():
    rows = list(extract(*ANNUAL, annual_paragraphs)) + list(extract(*INDEX, index_paragraphs))
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUTPUT, "w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=FIELDS)
        writer.writeheader()
        for number, row in enumerate(rows, start=1):
            writer.writerow({"id": number, **row})
    print(f"{len(rows)} candidates written to {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
