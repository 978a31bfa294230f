"""Every national figure of the fixture against the sentence it cites (issue 17, item 2).

The reports are read here on their own, not through ``scripts/extract_national_figures.py``: for each row of
``fixtures/national/figures.csv`` the test opens the report it names, goes to its line, and checks that

* the printed number is on that line (the figure is where it says it is);
* the sentence is the report's text around that line (the PDF's line breaks, bold markup, footnote marks,
  page numbers and small tables removed);
* the printed text (qualifier, number, unit) is in that sentence, and so are the unit and every qualifier word;
* the value and the printed change are the numbers the sentence prints.

And the loaded database holds each row once, with the same series, unit, year and qualifier.
"""

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest

from statistics.models.national import NationalFigure

PROJECT = Path(__file__).resolve().parents[2]
FIGURES = PROJECT / "fixtures" / "national" / "figures.csv"
SERIES = PROJECT / "fixtures" / "national" / "series.csv"
SOURCES = {
    "annual_report_2025": PROJECT / "fixtures" / "sources" / "annual_report_2025.txt",
    "ip_power_index_2025": PROJECT / "fixtures" / "sources" / "ip_power_index_report_2025.txt",
}
WINDOW = 40


def rows() -> list[dict]:
    with open(FIGURES, encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


def squash(text: str) -> str:
    """The text as a reader sees it, without any white space: markup and superscripts removed."""
    text = re.sub(r"<sup>.*?</sup>", "", text)
    text = text.replace("**", "").replace("<b>", "").replace("</b>", "")
    return re.sub(r"\s+", "", text)


def is_furniture(line: str, document: str) -> bool:
    """A line that is not prose: a table row or unit line, a page number, a footnote (the index report numbers
    them ``7 数据来源于…``), a caption of a chart or table."""
    stripped = line.strip()
    return (
        "\t" in line
        or stripped.lstrip("(（").startswith("单位")
        or bool(re.fullmatch(r"\d+", stripped))
        or (document == "ip_power_index_2025" and bool(re.match(r"^\d{1,2}\s+\D", stripped)))
        or bool(re.match(r"^(图|表)\s*\d+", stripped))
        or bool(re.match(r"^(类型|年份)", stripped))
        or bool(re.fullmatch(r"\S+(\s+\d+(\.\d+)?){3,}", stripped))
    )


LINES = {document: path.read_text(encoding="utf-8").splitlines() for document, path in SOURCES.items()}


def prose_around(document: str, line: int) -> str:
    lines = LINES[document][max(0, line - 1 - WINDOW) : line + WINDOW]
    return "".join(squash(text) for text in lines if not is_furniture(text, document))


CASES = rows()


def test_the_fixture_holds_every_national_figure_the_check_kept():
    """About 430 figures in the annual report's prose (issue 17) and the index report's national levels."""
    by_document = {}
    for row in CASES:
        by_document[row["document"]] = by_document.get(row["document"], 0) + 1
    assert by_document["annual_report_2025"] >= 410
    assert by_document["ip_power_index_2025"] >= 150


@pytest.mark.parametrize("row", CASES, ids=[f"{r['document'][:6]}-L{r['line']}-{r['printed']}" for r in CASES])
def test_each_figure_is_printed_in_its_sentence_at_its_line(row):
    line = int(row["line"])
    sentence = squash(row["sentence"])
    assert row["value"] in squash(LINES[row["document"]][line - 1]), "the number is not on the cited line"
    assert sentence in prose_around(row["document"], line), "the sentence is not the report's text at that line"
    assert squash(row["printed"]) in sentence
    assert row["value"] in squash(row["printed"])
    unit_as_printed = "[余多]?".join(re.escape(character) for character in row["unit"])
    assert re.search(unit_as_printed, squash(row["printed"])), "the unit is not the printed one"
    for word in row["qualifier"].split():
        assert word in sentence, f"qualifier {word} is not in the sentence"
    if row["change_value"]:
        assert str(abs(Decimal(row["change_value"]))) in sentence
        assert squash(row["change_text"]) in sentence


def test_each_qualifier_has_its_meaning():
    bounds = {"超过": "more_than", "超": "more_than", "逾": "more_than", "余": "more_than", "多": "more_than",
              "突破": "more_than", "以上": "more_than", "以内": "at_most", "近": "about", "约": "about",
              "左右": "about"}  # fmt: skip
    for row in CASES:
        expected = next((bounds[word] for word in row["qualifier"].split() if word in bounds), "exact")
        assert row["bound"] == expected, row


@pytest.mark.django_db
def test_the_database_holds_each_fixture_figure_once():
    stored = {
        (f.document, f.source_line, f.printed, f.series.name_zh): f
        for f in NationalFigure.objects.filter(national_return=None).select_related("series")
    }
    assert len(stored) == len(CASES)
    for row in CASES:
        figure = stored[(row["document"], int(row["line"]), row["printed"], row["series"])]
        assert (figure.series.name_zh, figure.series.unit, figure.year) == (
            row["series"],
            row["unit"],
            int(row["year"]),
        )
        assert figure.qualifier == row["qualifier"]
        if figure.series.held_by_appendix:
            assert figure.value is None, "a figure the appendix holds is derived, never stored twice"
        else:
            assert figure.value == Decimal(row["value"])


def test_years_are_those_the_sentences_give():
    """Sentences name the year they speak of; a figure's year is that year, or the report's own when they do not."""
    for row in CASES:
        year = int(row["year"])
        sentence = row["sentence"]
        if "2023年值" in squash(sentence) and "预期目标" not in row["series"]:
            assert year == 2023, row
        elif row["document"] == "ip_power_index_2025" and "预期目标" not in sentence:
            assert year in (2023, 2024), row
        assert 2020 <= year <= 2025
