"""What a reader sees of a work summary and what search compares: safe HTML from Markdown, plain text, text folded
for search, and the summary's own submission check. Pure functions of text, with no database access, so the models
(``search_text`` on save, ``narrative_html``, ``submission_problems``) and the services both use them without an
import cycle.

* Markdown is shown through ``render_markdown``: raw HTML in the text is escaped (it shows as text), and the result
  is sanitised by nh3 as a second guard (``javascript:`` links, stray attributes).
"""

import html
import unicodedata

import markdown
import nh3
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

# ---------------------------------------------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------------------------------------------

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


class _NoRawHtml(markdown.Extension):
    """Without these two steps, Python-Markdown passes raw HTML through; with them gone, ``<script>`` is text."""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def render_markdown(text: str):
    """Safe HTML for a Markdown text: raw HTML is escaped, then only harmless tags and http(s)/mailto links stay."""
    rendered = markdown.markdown(text or "", extensions=[_NoRawHtml(), "tables", "sane_lists"], output_format="html")
    cleaned = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)


def plain_text(text: str) -> str:
    """The words a reader sees: the rendered Markdown without its tags."""
    return html.unescape(nh3.clean(str(render_markdown(text)), tags=set())).strip()


# ---------------------------------------------------------------------------------------------------------------
# Search text (the search itself is in ``search.py``)
# ---------------------------------------------------------------------------------------------------------------


def normalized_with_positions(text: str) -> tuple[str, list[int]]:
    """``text`` folded for search (NFKC, case-folded, whitespace removed) and, for each folded character, the
    position of the character of ``text`` it came from (to highlight matches in the original)."""
    folded, positions = [], []
    for index, character in enumerate(text):
        for part in unicodedata.normalize("NFKC", character).casefold():
            if not part.isspace():
                folded.append(part)
                positions.append(index)
    return "".join(folded), positions


def normalize_for_search(text: str) -> str:
    return normalized_with_positions(text)[0]


def summary_plain_text(summary) -> str:
    return "\n".join(part for part in (plain_text(summary.narrative), summary.key_measures.strip()) if part)


def summary_search_text(summary) -> str:
    return normalize_for_search(summary_plain_text(summary))


# ---------------------------------------------------------------------------------------------------------------
# Submission
# ---------------------------------------------------------------------------------------------------------------


def submission_problems(summary) -> list[str]:
    problems = []
    if not plain_text(summary.narrative):
        problems.append(
            _("The narrative of the work summary %(summary)s is empty: write what the region did before submitting.")
            % {"summary": summary}
        )
    return problems
