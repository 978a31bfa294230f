"""Public pages of the national figures: the chapters that print them, and one page per chapter.

A chapter page lists its figures in the report's order, under the report's own section headings, each with its
source sentence and line, like the chapter itself reads; the table downloads as CSV or XLSX with the dashboards'
download code (``?format=csv&chart=figures`` or ``?format=xlsx``), so files look the same everywhere.
"""

from decimal import Decimal

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.charts import Chart, Column
from core.downloads import download

from . import selectors
from .models.national import Document


def plain(value: Decimal | None) -> str:
    """82.8100 → "82.81", 97.1930 → "97.193"; no value → ""."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def figures_table(rows: list[selectors.FigureRow], title: str) -> Chart:
    """The chapter's figures as one downloadable table (the dashboards' ``Chart`` without a drawing)."""
    columns = [
        Column(_("series"), "text"),
        Column(_("year"), "text"),
        Column(_("qualifier"), "text"),
        Column(_("value"), "text"),
        Column(_("unit"), "text"),
        Column(_("as printed"), "text"),
        Column(_("change as printed"), "text"),
        Column(_("derived change"), "text"),
        Column(_("derived change (%)"), "text"),
        Column(_("value from"), "text"),
        Column(_("line"), "text"),
        Column(_("source sentence"), "text"),
    ]
    table_rows = [
        [
            row.figure.series.name_zh,
            str(row.figure.year),
            row.figure.qualifier,
            plain(row.value),
            row.figure.series.unit,
            row.figure.printed,
            row.figure.change_text,
            plain(row.derived_change),
            plain(row.derived_change_percent),
            origin_label(row),
            str(row.figure.source_line or ""),
            row.figure.source_text,
        ]
        for row in rows
    ]
    return Chart(slug="figures", title=title, kind="table", columns=columns, rows=table_rows)


def origin_label(row: selectors.FigureRow) -> str:
    if row.value_origin == "appendix":
        return _("appendix: %(reference)s") % {"reference": row.appendix_reference}
    if row.value_origin == "national return":
        return _("national return")
    return _("as printed")


def sections(rows: list[selectors.FigureRow]) -> list[tuple[str, list]]:
    """The rows grouped under their section headings, in the printed order."""
    grouped: list[tuple[str, list]] = []
    for row in rows:
        if not grouped or grouped[-1][0] != row.figure.section:
            grouped.append((row.figure.section, []))
        grouped[-1][1].append(row)
    return grouped


def index(request):
    """The reports' chapters that print national figures, with how many each prints."""
    found = selectors.chapters()
    documents = []
    for document in Document:
        chapters = [chapter for chapter in found if chapter.document == document]
        if chapters:
            documents.append((document.label, chapters))
    return render(
        request, "statistics/national/index.html", {"documents": documents, "total": sum(c.count for c in found)}
    )


def chapter(request, document: str, number: int):
    found = selectors.chapter(document, number)
    if found is None:
        raise Http404(_("No chapter %(number)s of this report prints national figures.") % {"number": number})
    rows = selectors.chapter_rows(found)
    table = figures_table(rows, found.title)
    response = download(request, [table], f"national-figures-{document}-{number}")
    if response is not None:
        return response
    context = {"chapter": found, "sections": sections(rows), "table": table, "count": len(rows)}
    return render(request, "statistics/national/chapter.html", context)
