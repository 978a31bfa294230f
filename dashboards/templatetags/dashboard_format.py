"""Numbers as the dashboards print them: thousands separated, changes signed, percentages to one decimal; written by
the project's one number format (``core.numbers``), with a dash for a missing figure."""

from django import template
from django.utils.html import format_html

from core.numbers import format_change, format_number, format_percent_change

register = template.Library()

MISSING = "—"


@register.filter
def figure(value):
    """1234567 → "1,234,567"; no figure → a dash."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, float):
        return format_number(value, 1)
    return format_number(value)


@register.filter
def delta(value):
    """A signed change: "+1,234", "−56" (a real minus sign), "0"."""
    if value is None:
        return MISSING
    return format_change(value, None)


@register.filter
def percent(value):
    """A signed percentage to one decimal: "+3.5%", "−12.0%"."""
    if value is None:
        return MISSING
    return format_percent_change(value, 1)


@register.filter
def trend(value):
    """A CSS class for a change: up, down or flat."""
    if not value:
        return "flat"
    return "up" if value > 0 else "down"


@register.simple_tag
def cell(value, kind):
    """A table cell's content by its column kind (see ``charts.Column``)."""
    if hasattr(value, "url"):
        return format_html('<a href="{}">{}</a>', value.url, value.text)
    if kind == "delta":
        return delta(value)
    if kind == "percent":
        return percent(value)
    if kind == "text":
        return MISSING if value is None else str(value)
    return figure(value)
