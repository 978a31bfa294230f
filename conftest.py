"""Fixtures for every test of the project."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: cached responses and progress of one test never reach another."""
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language (Chinese), whatever an earlier test or request activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def import_years(settings):
    """Tests write synthetic figures for years no report covers (2030–2060), so that their rows are easy to find; the
    importers' year rule (``statistics/years.py``) is widened for them. Tests of that rule set their own range."""
    settings.IMPORT_YEARS = "1985-2100"
