"""Sections that other apps add to the public province page.

The province page shows the national statistics itself; the province's approved annual return, its work summary
and its protection centres and platforms live in other apps, which the dashboards must not import (they depend on
the statistics app, not on each other), and which do not import the dashboards either. Each of those apps names its
sections on its ``AppConfig``, as dotted paths; ``collect_app_sections`` (from the dashboards' own ``ready()``)
registers them, in the order of ``INSTALLED_APPS``::

    def approved_return_section(region, year):   # returns/sections.py
        ret = AnnualReturn.objects.filter(region=region, year=year, state=State.APPROVED).first()
        if ret is None:
            return None
        return _("Annual return"), "returns/province_section.html", {"annual_return": ret}

    class ReturnsConfig(AppConfig):
        province_sections = ("returns.sections.approved_return_section",)

A section is a callable ``(region, year)`` returning ``None`` (nothing to show) or ``(title, template_name,
context)``. The page is public: a section must return published data only (approved, published). Its template is
rendered with ``region``, ``year`` and ``request`` besides its own context. ``register`` adds one directly (tests).
A section's queries are its own: keep them constant per page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

Section = Callable[[object, int], tuple[str, str, dict] | None]

_sections: list[Section] = []


def register(section: Section) -> Section:
    """Add a section to every province page (once, however often it is registered); usable as a decorator."""
    if section not in _sections:
        _sections.append(section)
    return section


def collect_app_sections() -> None:
    """Register every section an installed app names in its ``province_sections``, in ``INSTALLED_APPS`` order."""
    for config in apps.get_app_configs():
        for dotted_path in getattr(config, "province_sections", ()):
            register(import_string(dotted_path))


def unregister(section: Section) -> None:
    if section in _sections:
        _sections.remove(section)


def registered() -> tuple[Section, ...]:
    return tuple(_sections)


@dataclass(frozen=True)
class RenderedSection:
    title: str
    html: str


def render_sections(region, year: int, request=None) -> list[RenderedSection]:
    """Every registered section that has something to show for this region and year, rendered, in order."""
    rendered = []
    for section in _sections:
        result = section(region, year)
        if result is None:
            continue
        title, template_name, context = result
        html = render_to_string(template_name, {**context, "region": region, "year": year}, request=request)
        rendered.append(RenderedSection(str(title), html))
    return rendered
