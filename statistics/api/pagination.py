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

COUNT = "rows_in_all_pages"


class CountedPagination(Pagination):
    """``core.api.Pagination`` (100 rows, ``?page_size=`` up to 1,000), counted in the page's own query."""

    def paginate_queryset(self, queryset, request, view=None):
        number_text = request.query_params.get(self.page_query_param) or "1"
        if number_text in self.last_page_strings:  # the last page needs the count first
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        size = self.get_page_size(request)
        number = int(number_text) if number_text.isascii() and number_text.isdigit() else 0
        if number < 1:
            raise NotFound(self.invalid_page_message.format(page_number=number_text, message=""))
        offset = (number - 1) * size
        rows = list(queryset.annotate(**{COUNT: Window(Count("*"))})[offset : offset + size])
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
