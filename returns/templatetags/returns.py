from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def plain(value):
    """A decimal without trailing zeros or exponent (``12.5000`` → ``12.5``); empty for None."""
    if value is None:
        return ""
    if not isinstance(value, Decimal):
        return value
    text = f"{value.normalize():f}"
    return text


@register.filter
def rounded(value, places=2):
    if value is None:
        return ""
    return f"{Decimal(value):.{int(places)}f}"
