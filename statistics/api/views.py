"""Read-only API viewsets of the statistics app.

The national statistics are published data: anyone may read them, signed in or not. Figures are written only
through the importers and the admin, which run the rule engine of ``rules.py``/``services.py`` (domestic totals,
"of which" rows, all-or-nothing tables); the API does not offer a second, partial write path around it. Import
runs are for staff with the ``view_importrun`` permission.

Every list joins its region or country in the same query (``select_related``) and prefetches many-to-many
relations, so that a page costs the same number of queries for 1 row or 100.
"""

import functools

from rest_framework import viewsets

from core.api import Pagination, PublicReadPermission, StaffViewPermission
from core.caching import CachedPublicReadMixin
from statistics import filtersets, models

from . import serializers
from .pagination import CountedPagination, counted


class StatisticsViewSet(CachedPublicReadMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [PublicReadPermission]
    pagination_class = Pagination


class FigureViewSet(StatisticsViewSet):
    """Figures lists read ``values()`` rows, not model instances (``serializers.Rows``): same output, a fraction of
    the time, and the page with its count in one query (``CountedPagination``).

    The serializer still describes the output in the schema and answers the detail view.
    """

    pagination_class = CountedPagination

    def list(self, request, *args, **kwargs):
        """The filters go on a ``values()`` queryset built once per model (``listing``): the columns, the row total
        and the count of all rows were otherwise resolved anew on every request; the WHERE clause is the same."""
        rows = serializers.ROWS[self.queryset.model]
        page = self.paginate_queryset(self.filter_queryset(listing(rows, self.queryset)))
        return self.get_paginated_response(rows.represent(page))


@functools.cache
def listing(rows, queryset):
    """The unfiltered list of a figures model as the ``values()`` rows ``rows`` reads, with their count (never
    evaluated itself: filters, slices and ``all()`` each give a new queryset)."""
    return counted(rows.queryset(queryset.all()))


# ---------------------------------------------------------------------------------------------------------------
# Reference dimensions, looked up by their natural key (``/regions/110000/``, ``/countries/US/``)
# ---------------------------------------------------------------------------------------------------------------


class RegionViewSet(StatisticsViewSet):
    """Province-level divisions, sub-provincial cities and the XPCC, in the report's order."""

    queryset = models.Region.objects.select_related("parent").order_by("display_order")
    serializer_class = serializers.RegionSerializer
    filterset_class = filtersets.RegionFilterSet
    lookup_field = "code"


class CountryViewSet(StatisticsViewSet):
    """Countries and territories of origin, "other" (ZZ) and joint holders with their members."""

    queryset = models.Country.objects.prefetch_related("members").order_by("code")
    serializer_class = serializers.CountrySerializer
    filterset_class = filtersets.CountryFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    pagination_class = CountedPagination

    def list(self, request, *args, **kwargs):
        """``values()`` rows rather than instances, as for the figures; the members in one more query.

        That query reads every membership: they are few (joint holders are rare: two in the report, with six members),
        and naming the page's hundred countries in it cost more than the rows it saves (half of an uncached page)."""
        fields = [field for field in serializers.CountrySerializer.Meta.fields if field != "members"]
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()).values("pk", *fields))
        members = {}
        if page:
            on_page = {row["pk"] for row in page}
            memberships = models.Country.members.through.objects.order_by("to_country__code")
            for joint, code in memberships.values_list("from_country_id", "to_country__code"):
                if joint in on_page:
                    members.setdefault(joint, []).append(code)
        rows = [{**{field: row[field] for field in fields}, "members": members.get(row["pk"], [])} for row in page]
        return self.get_paginated_response(rows)


# ---------------------------------------------------------------------------------------------------------------
# Appendix figures
# ---------------------------------------------------------------------------------------------------------------


class RegionPatentFigureViewSet(FigureViewSet):
    """Tables 1, 3, 5: domestic patent filings, grants and patents in force by region."""

    queryset = models.RegionPatentFigure.objects.select_related("region")
    serializer_class = serializers.RegionPatentFigureSerializer
    filterset_class = filtersets.RegionPatentFigureFilterSet


class CountryPatentFigureViewSet(FigureViewSet):
    """Tables 2, 4, 6: foreign patent filings, grants and patents in force by country of origin."""

    queryset = models.CountryPatentFigure.objects.select_related("country")
    serializer_class = serializers.CountryPatentFigureSerializer
    filterset_class = filtersets.CountryPatentFigureFilterSet


class RegionTrademarkFigureViewSet(FigureViewSet):
    """Table 7: domestic trademark applications, registrations and registrations in force by region."""

    queryset = models.RegionTrademarkFigure.objects.select_related("region")
    serializer_class = serializers.RegionTrademarkFigureSerializer
    filterset_class = filtersets.RegionTrademarkFigureFilterSet


class CountryTrademarkFigureViewSet(FigureViewSet):
    """Table 8: foreign trademark applications, registrations and registrations in force by country."""

    queryset = models.CountryTrademarkFigure.objects.select_related("country")
    serializer_class = serializers.CountryTrademarkFigureSerializer
    filterset_class = filtersets.CountryTrademarkFigureFilterSet


class RegionCountFigureViewSet(FigureViewSet):
    """Tables 9–12, domestic rows: GI products and marks, IC layout-design applications and certificates."""

    queryset = models.RegionCountFigure.objects.select_related("region")
    serializer_class = serializers.RegionCountFigureSerializer
    filterset_class = filtersets.RegionCountFigureFilterSet


class CountryCountFigureViewSet(FigureViewSet):
    """Tables 9–12, foreign rows."""

    queryset = models.CountryCountFigure.objects.select_related("country")
    serializer_class = serializers.CountryCountFigureSerializer
    filterset_class = filtersets.CountryCountFigureFilterSet


# ---------------------------------------------------------------------------------------------------------------
# Indicator catalogue and import runs
# ---------------------------------------------------------------------------------------------------------------


class IndicatorGroupViewSet(StatisticsViewSet):
    """Groups of the IP-power index frameworks (表 3 national, 表 4 regional), in printed order."""

    queryset = models.IndicatorGroup.objects.all()
    serializer_class = serializers.IndicatorGroupSerializer
    filterset_class = filtersets.IndicatorGroupFilterSet


class IndicatorViewSet(StatisticsViewSet):
    """Indicators of the IP-power index, with how each value arises (entered, national statistics, formula …)."""

    queryset = models.Indicator.objects.select_related("group")
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filtersets.IndicatorFilterSet
    lookup_field = "code"


class ImportRunViewSet(StatisticsViewSet):
    """Every import, preview or real: staff only."""

    cache_public_reads = False
    permission_classes = [StaffViewPermission]
    queryset = models.ImportRun.objects.select_related("user")
    serializer_class = serializers.ImportRunSerializer
    filterset_class = filtersets.ImportRunFilterSet
