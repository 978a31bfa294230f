"""Normalising the labels people type or print for regions, countries and numbers.

Spreadsheets typed by hand pad names with full-width spaces (``北　京``), use full-width digits and
parentheses, and wrap "of which" rows in brackets. Every lookup goes through ``normalize_label`` so that these
variants all find the same entry.
"""

import re
import unicodedata

from core.spreadsheet_safety import unescape_cell

_SPACES = re.compile(r"\s+")


def normalize_label(text: str) -> str:
    """NFKC-fold (full-width → half-width), drop every space inside CJK names, collapse other runs of space."""
    text = unescape_formula(unicodedata.normalize("NFKC", str(text or "")).strip())
    if re.search(r"[\u4e00-\u9fff]", text):
        return _SPACES.sub("", text)
    return _SPACES.sub(" ", text)


def unescape_formula(text: str) -> str:
    """Drop the quote our exports put before text a spreadsheet would run (``core.spreadsheet_safety``)."""
    return unescape_cell(text)


def split_of_which(label: str) -> tuple[str, bool]:
    """``(深圳)`` → ("深圳", True): the appendix marks "of which" rows by parentheses."""
    label = normalize_label(label)
    if len(label) > 2 and label[0] == "(" and label[-1] == ")":
        return label[1:-1].strip(), True
    return label, False
