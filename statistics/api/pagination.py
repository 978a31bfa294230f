"""A page of ``values()`` rows and the number of all rows in one query, for the statistics lists.

Django's paginator counts first (``SELECT COUNT(*)``) and then reads the page: two round trips and two compiled
queries per request, a large share of an uncached 100-row page. Here the page's query carries the count as a window
(``COUNT(*) OVER ()``), so the answer — ``count``, ``next``, ``previous``, ``results`` — is the same with one query.
An empty page after the first is "Invalid page." (404), as with ``core.api.Pagination``.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Window
from rest_framework.exceptions import NotFound

from core.api import Pagination

from .statements import page_rows

COUNT = "rows_in_all_pages"


def counted(queryset):
    """``queryset`` (``values()`` rows) with the count of all its rows on each row, unless it has it already.

    A list may annotate its base queryset once, before its filters (``FigureViewSet.list``); the count is a window
    over the filtered rows either way, since SQL computes windows after the WHERE clause."""
    if COUNT in queryset.query.annotations:
        return queryset
    return queryset.annotate(**{COUNT: Window(Count("*"))})


class CountedPagination(Pagination):
    """``core.api.Pagination`` (100 rows, ``?page_size=`` up to 1,000), counted in the page's own query."""

    def paginate_queryset(self, queryset, request, view=None):
        number_text = request.query_params.get(self.page_query_param) or "1"
        if number_text in self.last_page_strings:  # the last page needs the count first
            rows = super().paginate_queryset(queryset, request, view)
            for row in rows:
                row.pop(COUNT, None)  # a base queryset may carry the count already
            return rows
        self.request = request
        size = self.get_page_size(request)
        number = int(number_text) if number_text.isascii() and number_text.isdigit() else 0
        if number < 1:
            raise NotFound(self.invalid_page_message.format(page_number=number_text, message=""))
        offset = (number - 1) * size
        rows = page_rows(counted(queryset)[offset : offset + size])
        if not rows and number > 1:
            raise NotFound(self.invalid_page_message.format(page_number=number_text, message=""))
        count = rows[0][COUNT] if rows else 0
        for row in rows:
            del row[COUNT]
        paginator = Paginator((), size)
        paginator.count = count  # known: the paginator need not count again
        self.page = paginator.page(number)
        if paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True
        return rows
