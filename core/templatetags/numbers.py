"""Template filters of ``core.numbers``: ``{% load numbers %}`` then ``{{ value|number }}``, ``{{ value|number:2 }}``,
``{{ change|signed }}``, ``{{ change|signed_percent }}``."""

from django import template

from core.numbers import format_change, format_number, format_percent_change

register = template.Library()


@register.filter
def number(value, places=None):
    return format_number(value, None if places in (None, "") else int(places))


@register.filter
def signed(value, places=1):
    return format_change(value, int(places))


@register.filter
def signed_percent(value, places=1):
    return format_percent_change(value, int(places))
