"""``{{ region|display_name }}`` / ``{{ region|display_name:"full" }}``: the name in the reader's language
(``core.names.name_of``)."""

from django import template

from core.names import name_of

register = template.Library()


@register.filter
def display_name(entry, form: str = ""):
    return name_of(entry, form)
