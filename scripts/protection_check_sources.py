"""Check that every source sentence of ``fixtures/protection/`` is printed in its report.

The registry fixtures were written by hand from the 保护 and 地方工作 chapters of the 2025 annual report and from the
IP-power index report. Each row keeps the sentence it comes from (``来源``, parts separated by `` | ``); this script
finds each part in the reports' text, with the PDF extraction's line breaks (and the spaces around them) removed.

    python scripts/protection_check_sources.py      # prints the rows whose source is not found; exit code 1 if any
"""

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "fixtures" / "sources"
FIXTURES = ROOT / "fixtures" / "protection"


def joined(text: str) -> str:
    """The text with its line breaks, and the spaces around them, removed (the PDF breaks lines mid-sentence)."""
    return re.sub(r"[ \t\u3000]*\n\s*", "", text)


def reports() -> str:
    return "\n".join(joined(path.read_text(encoding="utf-8")) for path in sorted(SOURCES.glob("*.txt")))


def missing() -> list[str]:
    text = reports()
    problems = []
    for path in sorted(FIXTURES.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                for part in (row.get("来源") or "").split(" | "):
                    if part and part not in text:
                        problems.append(f"{path.name} row {number}: not found in the reports: {part}")
    return problems


if __name__ == "__main__":
    found = missing()
    print("\n".join(found) or "every source sentence is printed in the reports")
    sys.exit(1 if found else 0)
