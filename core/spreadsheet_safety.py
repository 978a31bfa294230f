"""The one escaping function for every workbook and CSV file the project writes (formula injection).

A spreadsheet program runs a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` as a formula, so an officer's
note reading ``=HYPERLINK("http://x","y")`` would become a live link in the reviewer's workbook. Excel also trims a
leading tab or carriage return from a CSV field and then reads what follows as a formula. ``escape_cell`` puts a
single quote before such text, as OWASP recommends; numbers (negative ones included) stay numbers. Every writer
calls it (``tests/test_export_escaping.py`` holds the list, and a test fails when a new writer is not on it), and
``unescape_cell`` takes the quote off again when a file the project wrote is imported.
"""

from django.utils.functional import Promise

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def escape_cell(value):
    """The value as a cell may safely hold it: text that a spreadsheet would run gets a leading quote.

    Anything that is not text (numbers, dates, None) is returned unchanged; lazy translations become text first.
    """
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return QUOTE + value
    return value


def escape_row(values) -> list:
    """``escape_cell`` over a row."""
    return [escape_cell(value) for value in values]


def unescape_cell(text: str) -> str:
    """Drop the quote ``escape_cell`` put before text starting with a formula character, for imports."""
    if text[:1] == QUOTE and text[1:2] and text[1:2] in FORMULA_PREFIXES:
        return text[1:]
    return text
