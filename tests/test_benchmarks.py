"""The page benchmark drives every public page: a page added to the page cache is measured too, or this fails."""

import sys
from pathlib import Path

import pytest
from django.urls import resolve

from core.page_cache import PUBLIC_PAGES

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import pages_bench

pytestmark = pytest.mark.django_db


def test_every_public_page_is_benchmarked(client):
    pages = pages_bench.targets()
    named = {resolve(path.partition("?")[0]).view_name for _name, path in pages}
    assert named >= PUBLIC_PAGES, sorted(PUBLIC_PAGES - named)
    for name, path in pages:
        assert client.get(path).status_code == 200, name
