"""Read-only API of the index's report data: published results, the frameworks and the group memberships.

All of it is the report's published content, readable by anyone, signed in or not. Writes go through the loader
(``services.load_report_data``) and the admin, never through the API. Lists join what they name in the same query,
so a page costs the same number of queries for 1 row or 1,000.
"""

from rest_framework import viewsets

from core.api import Pagination, PublicReadPermission

from .. import filtersets, selectors
from . import serializers


class ReportDataViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [PublicReadPermission]
    pagination_class = Pagination


class PublishedResultViewSet(ReportDataViewSet):
    """Every index result the 2025 report prints (``status=published``) and the previous-year scores they imply
    (``status=derived``), each with its source line and sentence. ``?year=2025`` holds every printed result."""

    queryset = selectors.published_results().select_related("derived_from")
    serializer_class = serializers.PublishedResultSerializer
    filterset_class = filtersets.PublishedResultFilterSet
    lookup_field = "key"
    lookup_value_regex = r"[^?#]+"


class FrameworkGroupViewSet(ReportDataViewSet):
    """First- and second-level groups of both frameworks, with printed counts and number ranges and their basis."""

    queryset = selectors.framework_groups()
    serializer_class = serializers.FrameworkGroupSerializer
    filterset_class = filtersets.FrameworkGroupFilterSet


class FrameworkIndicatorViewSet(ReportDataViewSet):
    """Every numbered indicator of both frameworks: catalogue link (none: a placeholder), direction, kind."""

    queryset = selectors.framework_indicators()
    serializer_class = serializers.FrameworkIndicatorSerializer
    filterset_class = filtersets.FrameworkIndicatorFilterSet


class MembershipViewSet(ReportDataViewSet):
    """Provinces of the four regions (NBS standard definition) and of the strategic regions (footnote 14)."""

    queryset = selectors.memberships()
    serializer_class = serializers.MembershipSerializer
    filterset_class = filtersets.MembershipFilterSet
