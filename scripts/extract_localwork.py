"""Extract the provincial work summaries and the 4th batch of typical cases from the 2025 annual report.

This is how ``fixtures/localwork/`` was produced. The source is the text extracted from the report's PDF
(``fixtures/sources/annual_report_2025.txt``):

* **Work summaries** (chapter ``# 地方工作``): one paragraph per region, 31 provinces and the XPCC, in the report's
  order (北京 … 新疆, 新疆生产建设兵团). The extraction lost some headings: 河北, 山西, 青海 and 宁夏 have a bold
  line (`` **河北省**``) instead of a ``##`` heading, and 广东, 广西 and 云南 have no heading at all. Each paragraph
  is therefore attributed by its *position* in the report's order, and every heading that survived (``##`` or
  bold) must name the region at that position, or the script stops. A paragraph without any heading must mention
  its region's name in its own text (广东, 广西, 云南 do), as a second check. The paragraph is kept verbatim.
* **Typical cases** (``### 知识产权强国建设第四批典型案例``): the 30 tab-separated rows ``number<TAB>title``. Each case
  is linked to the province-level region named first in its title; a city named there (大连理工大学, 中国科学院长春
  光机所, 中国科学院深圳先进技术研究院) stands for its province, since a case without a single region is linked to
  the region where it sits.

The region names come from ``fixtures/reference/regions.csv`` (the report's order is its ``display_order``).

Usage: python scripts/extract_localwork.py [SOURCE] [OUTPUT_DIR]
"""

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "fixtures" / "sources" / "annual_report_2025.txt"
OUTPUT = ROOT / "fixtures" / "localwork"
REGIONS = ROOT / "fixtures" / "reference" / "regions.csv"

YEAR = 2025  # the report's year: the summaries describe 2025, and the 4th batch was published in October 2025
CASE_BATCH = 4

HEADING = re.compile(r"^##\s+(\S+)\s*$")
BOLD_HEADING = re.compile(r"^\s*\*\*(\S+)\*\*\s*$")
CASE_ROW = re.compile(r"^(\d+)\t(\S.*?)\s*$")


def read_regions() -> list[dict]:
    with REGIONS.open(encoding="utf-8") as handle:
        return sorted(csv.DictReader(handle), key=lambda row: int(row["display_order"]))


def summary_regions(regions: list[dict]) -> list[dict]:
    """The regions that have a work summary, in the report's order: the 31 provinces (not 台湾, 香港, 澳门) and
    the XPCC."""
    without = {"710000", "810000", "820000"}
    provinces = [row for row in regions if row["level"] == "province" and row["code"] not in without]
    corps = [row for row in regions if row["level"] == "corps"]
    return provinces + corps


def chapter_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) of the 地方工作 chapter, from its title to the next top-level heading."""
    lines = text.split("\n")
    start = lines.index("# 地方工作")
    end = next(index for index in range(start + 1, len(lines)) if lines[index].startswith("# "))
    return [(number + 1, lines[number]) for number in range(start + 1, end)]


def extract_summaries(text: str, regions: list[dict]) -> list[dict]:
    expected = summary_regions(regions)
    rows, heading = [], None
    for number, line in chapter_lines(text):
        if not line.strip():
            continue
        match = HEADING.match(line) or BOLD_HEADING.match(line)
        if match:
            if heading is not None:
                raise SystemExit(f"line {number}: heading {line.strip()!r} follows a heading without a paragraph")
            heading = (match.group(1), "heading" if line.startswith("##") else "bold line", number)
            continue
        position = len(rows)
        if position >= len(expected):
            raise SystemExit(f"line {number}: more paragraphs than the {len(expected)} expected regions")
        region = expected[position]
        if heading is not None:
            printed, kind, _line = heading
            if printed != region["full_name_zh"]:
                raise SystemExit(
                    f"line {number}: paragraph {position + 1} is under {printed!r}, expected {region['full_name_zh']!r}"
                )
            attribution = kind
        else:
            if region["name_zh"] not in line:
                raise SystemExit(f"line {number}: a paragraph without heading that does not name {region['name_zh']}")
            attribution = "position (no heading in the extracted text)"
        rows.append(
            {
                "region_code": region["code"],
                "region": region["full_name_zh"],
                "year": YEAR,
                "source_line": number,
                "attribution": attribution,
                "narrative": line.strip(),
            }
        )
        heading = None
    if len(rows) != len(expected):
        raise SystemExit(f"found {len(rows)} paragraphs, expected {len(expected)}")
    return rows


def case_region(title: str, regions: list[dict]) -> dict:
    """The province-level region named first in ``title``; a city stands for its province."""
    by_code = {row["code"]: row for row in regions}
    found = []
    for row in regions:
        if row["level"] == "corps":
            continue
        for name in (row["full_name_zh"], row["name_zh"]):
            position = title.find(name)
            if position >= 0:
                found.append((position, -len(name), row))
                break
    if not found:
        raise SystemExit(f"no region named in the case title {title!r}")
    _position, _length, row = min(found, key=lambda item: (item[0], item[1]))
    return by_code[row["parent"]] if row["parent"] else row


def extract_cases(text: str, regions: list[dict]) -> list[dict]:
    lines = text.split("\n")
    start = lines.index("### 知识产权强国建设第四批典型案例")
    rows = []
    for number, line in enumerate(lines[start + 1 :], start=start + 2):
        if line.startswith("#"):
            break
        match = CASE_ROW.match(line)
        if not match:
            continue
        title = match.group(2)
        region = case_region(title, regions)
        rows.append(
            {
                "batch": CASE_BATCH,
                "number": int(match.group(1)),
                "title": title,
                "region_code": region["code"],
                "region": region["full_name_zh"],
                "year": YEAR,
                "source_line": number,
            }
        )
    if [row["number"] for row in rows] != list(range(1, 31)):
        raise SystemExit(f"expected cases 1–30, found {[row['number'] for row in rows]}")
    return rows


def write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(source: Path = SOURCE, output: Path = OUTPUT) -> None:
    text = source.read_text(encoding="utf-8")
    regions = read_regions()
    output.mkdir(parents=True, exist_ok=True)
    summaries = extract_summaries(text, regions)
    cases = extract_cases(text, regions)
    write(output / "summaries.csv", summaries)
    write(output / "typical_cases.csv", cases)
    print(f"{len(summaries)} summaries, {len(cases)} typical cases written to {output}")


if __name__ == "__main__":
    main(*(Path(argument) for argument in sys.argv[1:3]))
