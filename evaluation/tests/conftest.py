"""Fixtures of the evaluation tests (shared by h6's report-data tests and h7's engine and page tests).

The test database holds the whole report, loaded once per session for every app (the root ``conftest.py``): the
regions, the indicator catalogue, and this app's frameworks, scopes, memberships and published results. Each test
runs in a transaction that is rolled back. Expected figures come from the report's text, read by the tests apart
from the fixtures and the extraction script.
"""

import re
from pathlib import Path

import pytest
from rest_framework.test import APIClient

PROJECT = Path(__file__).resolve().parents[2]
INDEX_REPORT = PROJECT / "fixtures" / "sources" / "ip_power_index_report_2025.txt"


@pytest.fixture(scope="session")
def report_lines() -> list[str]:
    """The index report's lines; ``report_lines[n - 1]`` is line n."""
    return INDEX_REPORT.read_text(encoding="utf-8").split("\n")


@pytest.fixture
def api():
    return APIClient()


def squeeze(text: str) -> str:
    """Text without any whitespace, so that "131.8 分" and "131.8分" compare equal."""
    return re.sub(r"\s+", "", text)
