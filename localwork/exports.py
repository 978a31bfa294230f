"""A whole year's published work summaries and typical cases in one file, as Markdown or DOCX.

Both follow the report: the chapter title, then one section per region in the report's order (北京 … 新疆生产建设兵团)
with its narrative and key measures, then the typical cases published that year. The DOCX is built from the same
sanitised HTML the pages show, so Markdown formatting (bold, lists, headings) survives and raw HTML never does.
"""

from html.parser import HTMLParser
from io import BytesIO

from django.utils.translation import gettext as _
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .models import TypicalCase, WorkSummary

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def published_year(year: int):
    """The year's published summaries in the report's order, and its typical cases by batch and number."""
    summaries = list(
        WorkSummary.objects.published().filter(year=year).select_related("region").order_by("region__display_order")
    )
    cases = list(TypicalCase.objects.filter(year=year).select_related("region").order_by("batch", "number"))
    return summaries, cases


def title_for(year: int) -> str:
    return _("Provincial work summaries %(year)s") % {"year": year}


def _markdown_text(text: str) -> str:
    """The narrative as written, except that ``<`` is escaped: the pages show raw HTML as text, and so must any
    Markdown reader of the export."""
    return text.replace("<", "&lt;").strip()


def to_markdown(year: int) -> str:
    summaries, cases = published_year(year)
    lines = [f"# {title_for(year)}", ""]
    for summary in summaries:
        lines += [f"## {summary.region.full_name_zh}", "", _markdown_text(summary.narrative), ""]
        if summary.measure_list:
            lines += ["**%s**" % _("Key measures"), ""]
            lines += [f"- {_markdown_text(measure)}" for measure in summary.measure_list]
            lines.append("")
    if cases:
        lines += ["## %s" % _("Typical cases"), ""]
        for batch in sorted({case.batch for case in cases}):
            heading = _("Batch %(batch)s") % {"batch": batch}
            lines += [f"### {heading}", ""]
            lines += [
                f"{case.number}. {_markdown_text(case.title)}（{case.region.full_name_zh}）"
                for case in cases
                if case.batch == batch
            ]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


class _DocxWriter(HTMLParser):
    """Writes the sanitised HTML of one narrative into a python-docx document: block tags become paragraphs
    (headings, list items, quotes), inline tags become bold/italic/monospace runs."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr"}

    def __init__(self, document):
        super().__init__(convert_charrefs=True)
        self.document = document
        self.paragraph = None
        self.bold = self.italic = self.code = 0
        self.lists: list[str] = []

    def _start_paragraph(self, tag):
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.paragraph = self.document.add_heading(level=min(int(tag[1]) + 2, 9))
        elif tag == "li":
            style = "List Number" if self.lists and self.lists[-1] == "ol" else "List Bullet"
            self.paragraph = self.document.add_paragraph(style=style)
        elif tag == "blockquote":
            self.paragraph = self.document.add_paragraph(style="Quote")
        else:
            self.paragraph = self.document.add_paragraph()

    def handle_starttag(self, tag, attrs):
        if tag in {"ul", "ol"}:
            self.lists.append(tag)
        elif tag in self.BLOCKS:
            self._start_paragraph(tag)
        elif tag in {"strong", "b"}:
            self.bold += 1
        elif tag in {"em", "i"}:
            self.italic += 1
        elif tag == "code":
            self.code += 1
        elif tag == "br" and self.paragraph is not None:
            self.paragraph.add_run().add_break()

    def handle_endtag(self, tag):
        if tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
        elif tag in self.BLOCKS:
            self.paragraph = None
        elif tag in {"strong", "b"}:
            self.bold -= 1
        elif tag in {"em", "i"}:
            self.italic -= 1
        elif tag == "code":
            self.code -= 1

    def handle_data(self, data):
        if self.paragraph is None:
            if not data.strip():
                return
            self.paragraph = self.document.add_paragraph()
        run = self.paragraph.add_run(data)
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None
        if self.code:
            run.font.name = "Courier New"


def _a4(document) -> None:
    """A4 with the print view's margins (``print.html``: ``@page { size: A4; margin: 2cm 2cm 2.2cm }``); python-docx's
    default template is US Letter."""
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin = section.left_margin = section.right_margin = Cm(2)
        section.bottom_margin = Cm(2.2)


def to_docx(year: int) -> bytes:
    summaries, cases = published_year(year)
    document = Document()
    _a4(document)
    style = document.styles["Normal"]
    style.font.size = Pt(11)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "SimSun")  # Chinese text font
    document.core_properties.title = title_for(year)
    document.add_heading(title_for(year), level=0)
    for summary in summaries:
        document.add_heading(summary.region.full_name_zh, level=1)
        writer = _DocxWriter(document)
        writer.feed(str(summary.narrative_html))
        writer.close()
        if summary.measure_list:
            document.add_heading(_("Key measures"), level=2)
            for measure in summary.measure_list:
                document.add_paragraph(measure, style="List Bullet")
    if cases:
        document.add_heading(_("Typical cases"), level=1)
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, label in zip(table.rows[0].cells, (_("Batch"), _("No."), _("Title"), _("Region")), strict=True):
            cell.text = label
        for case in cases:
            row = table.add_row().cells
            row[0].text, row[1].text = str(case.batch), str(case.number)
            row[2].text, row[3].text = case.title, case.region.full_name_zh
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
