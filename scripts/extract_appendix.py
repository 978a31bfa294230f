"""Extract appendix tables 1–12 of the annual report into ``fixtures/appendix.csv``.

This is how the appendix fixture was produced, kept so that anyone can regenerate and audit it. The source is
the text extracted from the report's PDF (``fixtures/sources/annual_report_2025.txt``, a verbatim copy of the
seed). Each data row of a table becomes one CSV line per printed cell, in the printed order, with the printed
label untouched ("(深圳)", "国内总计"): the loader resolves labels, not this script. Totals rows are kept too,
because the loader checks every printed total against its parts.

Usage: python scripts/extract_appendix.py [SOURCE] [OUTPUT]
"""

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "fixtures" / "sources" / "annual_report_2025.txt"
OUTPUT = ROOT / "fixtures" / "appendix.csv"

TITLE = re.compile(r"^表 (\d+) ")
YEAR = re.compile(r"(\d{4})\s*年")
MEASURES = {
    "合计": "total",
    "发明": "invention",
    "实用新型": "utility_model",
    "外观设计": "design",
    "申请量": "applications",
    "注册量": "registrations",
    "年末有效注册量": "in_force",
}
# Tables 9–12 print one measure with the years below it; the measure code comes from the table number.
SINGLE_MEASURE = {9: "gi_products", 10: "gi_marks", 11: "ic_applications", 12: "ic_certificates"}


def clean(cell: str) -> str:
    return re.sub(r"</?b>", "", cell).strip()


def extract(text: str):
    """Yield (table, row, label, year, measure, value) for every printed cell of tables 1–12."""
    table = None
    header_years: list[int] = []
    header_measures: list[str] = []
    row = 0
    for line in text.split("\n"):
        if line.startswith("附录二"):
            break
        match = TITLE.match(line)
        if match:
            table, row = int(match.group(1)), 0
            continue
        if table is None or "\t" not in line:
            continue
        cells = [clean(c) for c in line.split("\t")]
        label, values = cells[0], cells[1:]
        if label and not any(v.isdigit() for v in values):
            header_years = [int(m) for m in YEAR.findall(line)]  # first header line: the years
            continue
        if not label:
            if table in SINGLE_MEASURE:
                header_years = [int(m) for m in YEAR.findall(line)]
            else:
                measures = [MEASURES[v] for v in values if v]
                header_measures = measures[: len(measures) // len(header_years)]  # repeated under each year
            continue
        row += 1
        if table in SINGLE_MEASURE:
            columns = [(year, SINGLE_MEASURE[table]) for year in header_years]
        else:
            columns = [(year, measure) for year in header_years for measure in header_measures]
        if len(values) != len(columns):
            raise ValueError(f"table {table}, row {label!r}: {len(values)} cells for {len(columns)} columns")
        for (year, measure), value in zip(columns, values, strict=True):
            yield table, row, label, year, measure, int(value)


def main(source: Path = SOURCE, output: Path = OUTPUT) -> int:
    cells = list(extract(source.read_text(encoding="utf-8")))
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["table", "row", "label", "year", "measure", "value"])
        writer.writerows(cells)
    print(f"wrote {len(cells)} cells to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*[Path(arg) for arg in sys.argv[1:3]]))
