"""Extract the small tables inside the annual report's chapters into ``fixtures/chapter_tables.csv``.

The source is the text extracted from the report's PDF (``fixtures/sources/annual_report_2025.txt``). Outside
附录一, a chapter table is a block of tab-separated lines: a header (``类型	2024年	2025年``, or for the cycle table
``商标审查审理周期	周期 / 月``) followed by one line per printed row. Each printed cell becomes one CSV line with
the printed label (``<b>`` markup removed) and the line it was read from; totals are kept, because the loader
checks each printed total against its parts. Which table a block is comes from its first row (or its header),
matched against ``statistics/chapter_tables.py``. The cycle table prints no year: its values are the report
year's (2025), as the prose around it says (“稳定在 4 个月” …).

Usage: python scripts/extract_chapter_tables.py [SOURCE] [OUTPUT]
"""

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "fixtures" / "sources" / "annual_report_2025.txt"
OUTPUT = ROOT / "fixtures" / "chapter_tables.csv"
REPORT_YEAR = 2025
APPENDIX = "## 附录一"
# The table each block is, by its first row's label (or its header, for the cycle table).
BLOCKS = {
    "复审请求": "patent_reexamination",
    "无效宣告请求": "patent_invalidation",
    "商标评审请求": "trademark_review_requests",
    "商标评审裁定": "trademark_review_rulings",
    "商标审查审理周期": "trademark_cycles",
}
YEAR = re.compile(r"(\d{4})\s*年")
NUMBER = re.compile(r"\d+(\.\d+)?")


def clean(cell: str) -> str:
    return re.sub(r"</?b>", "", cell).strip()


def blocks(lines: list[str]):
    """(first line number, [(line number, cells)]) for each run of tab-separated lines with numbers."""
    block: list[tuple[int, list[str]]] = []
    for number, line in enumerate(lines, start=1):
        if line.startswith(APPENDIX):
            break
        if "\t" in line:
            block.append((number, [clean(cell) for cell in line.split("\t")]))
            continue
        if block:
            yield block
            block = []
    if block:
        yield block


def extract(text: str) -> list[dict]:
    cells = []
    for block in blocks(text.splitlines()):
        (header_line, header), rows = block[0], block[1:]
        if not rows or not all(NUMBER.fullmatch(value) for _number, row in rows for value in row[1:]):
            continue  # the list of typical cases: text, not figures
        code = BLOCKS.get(header[0]) or BLOCKS.get(rows[0][1][0])
        if code is None:
            raise SystemExit(f"line {header_line}: a table this script does not know: {header}")
        years = [int(YEAR.search(value).group(1)) for value in header[1:] if YEAR.search(value)] or [REPORT_YEAR]
        for line, row in rows:
            for year, value in zip(years, row[1:], strict=True):
                cells.append({"table": code, "label": row[0], "year": year, "value": value, "line": line})
    return cells


def main(argv: list[str]) -> None:
    source = Path(argv[1]) if len(argv) > 1 else SOURCE
    output = Path(argv[2]) if len(argv) > 2 else OUTPUT
    cells = extract(source.read_text(encoding="utf-8"))
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["table", "label", "year", "value", "line"])
        writer.writeheader()
        writer.writerows(cells)
    print(f"wrote {len(cells)} cells to {output}")


if __name__ == "__main__":
    main(sys.argv)
