"""Fixtures for every test of the project."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: cached responses and progress of one test never reach another."""
    cache.clear()
    yield
