"""Full-text search over the published work summaries and typical cases, the same on SQLite and PostgreSQL.

Chinese has no spaces between words, so word-based full-text search (PostgreSQL's ``tsvector``, SQLite's FTS
tokenisers) either needs a Chinese segmenter or finds nothing. Instead every record keeps a ``search_text``: its
plain text folded the same way as the query (NFKC, case-folded, whitespace removed, see
``text.normalized_with_positions``). A query is split on spaces into terms, and a record matches when it holds
every term as a substring. Django's ``contains`` is ``LIKE`` on both databases; SQLite's ``LIKE`` ignores the case
of ASCII letters and PostgreSQL's does not, but ``search_text`` and the terms are both case-folded already, so both
compare the same characters. The order of the results is explicit.
A term of one character matches too (``专`` finds every text with 专), which is what a substring search promises.

Snippets and highlighting are computed in Python from the record's plain text, so they are identical too.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .models import TypicalCase, WorkSummary
from .text import normalize_for_search, normalized_with_positions, summary_plain_text

MAX_TERMS = 8
MAX_RESULTS = 200
SNIPPET_BEFORE, SNIPPET_AFTER = 40, 80


@dataclass
class Hit:
    kind: str  # "summary" or "case"
    kind_label: str
    obj: object
    region: object
    year: int
    title: str
    snippet: str
    matches: int


def terms_of(query: str) -> list[str]:
    terms = []
    for part in (query or "").split():
        term = normalize_for_search(part)
        if term and term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def _match_spans(text: str, terms: list[str]) -> tuple[list[tuple[int, int]], int]:
    """Spans of ``text`` (original positions) where a term matches after folding, and the number of matches."""
    folded, positions = normalized_with_positions(text)
    spans = []
    for term in terms:
        start = folded.find(term)
        while start >= 0:
            end = start + len(term)
            spans.append((positions[start], positions[end - 1] + 1))
            start = folded.find(term, end)
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged, len(spans)


def highlight(text: str, terms: list[str], whole: bool = False) -> tuple[str, int]:
    """Safe HTML: a window of ``text`` around its first match (or all of it), each match in ``<mark>``."""
    spans, count = _match_spans(text, terms)
    if whole or not spans:
        start, end = 0, len(text) if whole or len(text) <= SNIPPET_AFTER * 2 else SNIPPET_AFTER * 2
    else:
        start = max(0, spans[0][0] - SNIPPET_BEFORE)
        end = min(len(text), spans[0][1] + SNIPPET_AFTER)
    parts, cursor = [], start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        parts.append(escape(text[cursor:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(escape(text[cursor:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix), count


def _filtered(queryset, terms, year=None, region=None):
    for term in terms:
        queryset = queryset.filter(search_text__contains=term)
    if year:
        queryset = queryset.filter(year=year)
    if region is not None:
        queryset = queryset.filter(region=region)
    return queryset


def search(query: str, year=None, region=None, kinds=("summary", "case")) -> list[Hit]:
    """Published summaries, then typical cases, holding every term of ``query``: newest year first, then the
    report's region order (summaries) or case number (cases)."""
    terms = terms_of(query)
    if not terms:
        return []
    hits = []
    if "summary" in kinds:
        summaries = _filtered(WorkSummary.objects.published(), terms, year, region)
        for summary in summaries.select_related("region").order_by("-year", "region__display_order")[:MAX_RESULTS]:
            snippet, count = highlight(summary_plain_text(summary), terms)
            hits.append(
                Hit("summary", str(_("work summary")), summary, summary.region, summary.year,
                    summary.region.full_name_zh, snippet, count)
            )  # fmt: skip
    if "case" in kinds:
        cases = _filtered(TypicalCase.objects.all(), terms, year, region)
        for case in cases.select_related("region").order_by("-year", "batch", "number")[:MAX_RESULTS]:
            snippet, count = highlight(case.title, terms, whole=True)
            hits.append(
                Hit("case", str(_("typical case")), case, case.region, case.year,
                    _("Batch %(batch)s, No. %(number)s") % {"batch": case.batch, "number": case.number},
                    snippet, count)
            )  # fmt: skip
    return hits
