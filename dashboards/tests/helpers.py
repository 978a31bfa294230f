"""Helpers shared by the dashboard tests."""

import json
import re

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def spec(response, element_id: str) -> dict:
    """The chart spec the page hands to ECharts for the element ``element_id``."""
    match = re.search(
        rf'<script id="{re.escape(element_id)}-spec" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, f"no chart spec for #{element_id}"
    return json.loads(match.group(1))


def count_queries(client, url: str) -> int:
    """The queries of building the page (not of answering it from the page cache)."""
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(context.captured_queries)


def chart(response, slug: str):
    return next(chart for chart in response.context["charts"] if chart.slug == slug)


def rows_by_label(chart) -> dict[str, list]:
    """A chart's table rows keyed by the text of their first cell."""
    return {str(row[0]): row for row in chart.rows}
