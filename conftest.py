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
