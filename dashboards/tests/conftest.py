"""The report loaded once per session, and the report's own text to take expected figures from.

Expected figures come from ``fixtures/sources/annual_report_2025.txt`` through the statistics suite's independent
parser (``statistics/tests/conftest.py``: ``Report``), never from the dashboards' own queries.
"""

import pytest

from statistics.tests.conftest import Report

PROVINCE_LEVEL_COUNT = 34  # 31 provinces, 台湾, 香港, 澳门


@pytest.fixture(scope="session")
def report() -> Report:
    return Report()


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language (Chinese), whatever an earlier test activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def printed(report, table: int, label: str, year: int, column: str) -> int:
    """A value as the report prints it: table ``table``, row ``label``, ``year``, column code (total, invention …)."""
    printed_table = report[table]
    return printed_table.keyed(printed_table.row(label))[(year, column)]


def figure(value: int) -> str:
    """How the dashboards print a figure: thousands separated."""
    return f"{value:,}"


@pytest.fixture
def clean_registry():
    """No province-page sections but the test's own; whatever the apps registered is put back afterwards."""
    from dashboards import sections

    saved = sections.registered()
    for section in saved:
        sections.unregister(section)
    yield
    for section in sections.registered():
        sections.unregister(section)
    for section in saved:
        sections.register(section)


@pytest.fixture
def no_figures(db):
    """Reference data without figures (undone after the test)."""
    from statistics.tests.conftest import delete_figures

    delete_figures()
