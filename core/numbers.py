"""One way to write numbers for people: thousands separators, sensible decimals, a sign on changes.

Used by the public tables, the sheets, the print view and the messages, so that the same figure reads the same
everywhere (``1,234,567``; ``96.5``; ``+6.3%``, ``−0.4%``). Values are ``Decimal``, ``int`` or ``float``; ``None``
is empty. The separator is the comma and the decimal point is the dot, in Chinese and English alike, as the report
prints them.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Whole numbers keep no decimals; other values keep at most this many, without trailing zeros.
DEFAULT_PLACES = 2


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def format_number(value, places: int | None = None) -> str:
    """``value`` with thousands separators. ``places=None``: as many decimals as it has, at most ``DEFAULT_PLACES``,
    trailing zeros dropped (``12.5000`` → ``12.5``); a number of ``places``: exactly that many (``rounded``)."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    if not number.is_finite():
        return str(number)
    if places is None:
        number = number.quantize(Decimal(1).scaleb(-DEFAULT_PLACES), rounding=ROUND_HALF_UP).normalize()
        if number == number.to_integral_value():
            number = number.quantize(Decimal(1))
        places = max(0, -number.as_tuple().exponent)
    else:
        number = number.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    if number == 0:
        number = number.copy_abs()  # no "-0.0"
    return f"{number:,.{int(places)}f}"


MINUS = "−"  # a change's minus is the typographic one (U+2212), as the dashboards print it, beside its "+"


def format_change(value, places: int | None = 1, suffix: str = "") -> str:
    """A change, always with its sign (``+6.3``, ``−0.4``, ``0.0``), then ``suffix`` (e.g. ``%``). ``places=None``:
    as ``format_number``."""
    number = _decimal(value)
    if number is None:
        return ""
    text = format_number(number, places)
    if text.strip("0.,") == "":
        return text + suffix  # rounds to zero: no sign
    if number > 0:
        return "+" + text + suffix
    return MINUS + text.lstrip("-") + suffix


def format_percent_change(value, places: int = 1) -> str:
    """A change in %, signed: ``+6.3%``, ``−12.0%``."""
    return format_change(value, places, "%")
