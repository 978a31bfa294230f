"""Extract the indicator frameworks of the IP-power index report into ``fixtures/indicators.csv``.

This is how the indicator fixture was produced. The source is the text extracted from the PDF of the 2025 IP-power
index report (``fixtures/sources/ip_power_index_report_2025.txt``). Two tables are read:

* 表 3, the national IP-power index: first-level groups and numbered (second-level) indicators. The extracted text
  starts at No. 15 and stops at No. 66 (No. 67 has no name), so Nos. 1–14 and 67–85 are absent.
* 表 4, the regional IP development index: first- and second-level groups and numbered (third-level) indicators,
  Nos. 1–62 (the list is cut inside No. 62, whose unit lost its closing bracket).

Each indicator's unit is its last parenthesised part, e.g. ``商标有效注册量（件）`` → ``件``. Group names are printed
broken over several lines (``知识`` / ``产权`` / ``保护``); they are joined. The first group of 表 3 is not printed
in the extracted text: the report's description of the index ("一级指标 6个，分别为知识产权制度、保护、…") places
Nos. 15–26 under 知识产权保护, and the CSV marks that group as inferred.

Usage: python scripts/extract_indicators.py [SOURCE] [OUTPUT]
"""

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "fixtures" / "sources" / "ip_power_index_report_2025.txt"
OUTPUT = ROOT / "fixtures" / "indicators.csv"

ITEM = re.compile(r"^(\d+)\s+(\S.*?)\s*$")
UNIT = re.compile(r"[（(]([^（()）]*)[)）]?\s*$")
NATIONAL_FIRST = ("知识产权保护", "知识产权市场运行", "知识产权公共服务", "知识产权人文社会环境")
REGIONAL_FIRST = ("知识产权保护", "市场运行", "发展环境")
REGIONAL_SECOND = ("司法保护", "行政保护", "协同保护", "高质量创造", "运用机制", "市场运营")


def split_unit(text: str) -> tuple[str, str]:
    """``商标有效注册量（件）`` → (``商标有效注册量``, ``件``); the name keeps any earlier brackets."""
    match = UNIT.search(text)
    if not match:
        return text, ""
    return text[: match.start()].rstrip(), match.group(1).strip()


def _lines(text: str, start: str, end: str | None) -> list[str]:
    body = text[text.index(start) :]
    if end and end in body:
        body = body[: body.index(end)]
    return [line.strip() for line in body.split("\n")]


def national(text: str):
    first, pending, inferred = "知识产权保护", "", True
    for line in _lines(text, "表 3  知识产权强国建设指数评价指标体系", "三、地区知识产权发展指数评价指标体系"):
        item = ITEM.match(line)
        if item and not line.startswith(("一级", " 一级")):
            name, unit = split_unit(item.group(2))
            yield "national", int(item.group(1)), first, "", name, unit, "inferred" if inferred else ""
            continue
        if line and not line.startswith(("表 3", "一级指标")) and not ITEM.match(line):
            pending += line.replace(" ", "")
            if pending in NATIONAL_FIRST:
                first, pending, inferred = pending, "", False
        elif not line:
            continue


def regional(text: str):
    first = second = pending = ""
    for line in _lines(text, "表 4  地区知识产权发展指数评价指标体系", None):
        item = ITEM.match(line)
        if item:
            name, unit = split_unit(item.group(2))
            yield "regional", int(item.group(1)), first, second, name, unit, ""
            continue
        if not line or line.startswith(("表 4", "一级", "二级", "指标", "编号")):
            continue
        pending += line.replace(" ", "")
        if pending in REGIONAL_FIRST:
            first, pending = pending, ""
        elif pending in REGIONAL_SECOND:
            second, pending = pending, ""
        elif not any(group.startswith(pending) for group in (*REGIONAL_FIRST, *REGIONAL_SECOND)):
            pending = ""


def main(source: Path = SOURCE, output: Path = OUTPUT) -> int:
    text = source.read_text(encoding="utf-8")
    rows = [*national(text), *regional(text)]
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["framework", "number", "group", "subgroup", "name_zh", "unit", "note"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} indicators to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*[Path(arg) for arg in sys.argv[1:3]]))
