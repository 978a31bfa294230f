"""API viewsets of the registry.

The entries are published data: anyone may read them, and they change only through imports, the admin, and
approved change requests. Officers propose changes for their own region at ``protection-changes``; reviewers return
or approve them with the review workflow's actions (``review.api.ReviewableViewSetMixin``: submit, return, approve,
reopen; 403/400/409 from the workflow's errors). Every list joins what it shows in the same query, so a page costs
the same number of queries for 1 row or 100.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api import Pagination, PublicReadPermission
from review.api import DELETE_WITH_VERSION, ReviewableViewSetMixin, expected_version

from .. import filtersets, models, services
from . import serializers


class RegistryViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [PublicReadPermission]
    pagination_class = Pagination


class CityViewSet(RegistryViewSet):
    queryset = models.City.objects.select_related("region").order_by("region__display_order", "name")
    serializer_class = serializers.CitySerializer
    filterset_class = filtersets.CityFilterSet


class CentreViewSet(RegistryViewSet):
    """IP protection centres and rapid rights-protection centres, as approved."""

    queryset = models.Centre.objects.select_related("region", "city").order_by("region__display_order", "name")
    serializer_class = serializers.CentreSerializer
    filterset_class = filtersets.CentreFilterSet


class PlatformViewSet(RegistryViewSet):
    """Overseas dispute-response guidance platforms, as approved."""

    queryset = models.Platform.objects.select_related("region", "city", "host_country").order_by("kind", "name")
    serializer_class = serializers.PlatformSerializer
    filterset_class = filtersets.PlatformFilterSet


class WorkstationViewSet(RegistryViewSet):
    """Overseas workstations, service points, liaison stations and assistance points, as approved."""

    queryset = models.Workstation.objects.select_related("region", "host_country", "parent_platform").order_by(
        "region__display_order", "name"
    )
    serializer_class = serializers.WorkstationSerializer
    filterset_class = filtersets.WorkstationFilterSet


class CentreFiguresViewSet(RegistryViewSet):
    queryset = models.CentreFigures.objects.select_related("centre__region").order_by("centre__name", "year")
    serializer_class = serializers.CentreFiguresSerializer
    filterset_class = filtersets.CentreFiguresFilterSet


class PlatformFiguresViewSet(RegistryViewSet):
    queryset = models.PlatformFigures.objects.select_related("platform").order_by("platform__name", "year")
    serializer_class = serializers.PlatformFiguresSerializer
    filterset_class = filtersets.PlatformFiguresFilterSet


class ProvincialCountViewSet(RegistryViewSet):
    queryset = models.ProvincialCount.objects.select_related("region").order_by("region__display_order", "year")
    serializer_class = serializers.ProvincialCountSerializer
    filterset_class = filtersets.ProvincialCountFilterSet


class PublishedTotalViewSet(RegistryViewSet):
    queryset = models.PublishedTotal.objects.order_by("year", "measure")
    serializer_class = serializers.PublishedTotalSerializer
    filterset_class = filtersets.PublishedTotalFilterSet


@extend_schema_view(destroy=DELETE_WITH_VERSION)
class RegistryChangeViewSet(ReviewableViewSetMixin, viewsets.ModelViewSet):
    """Officers' proposed changes: created for the officer's own region, submitted, then returned or approved.

    Only an approval writes the values into the entry; until then the entry endpoints show the approved version.
    """

    queryset = models.RegistryChange.objects.select_related("region").order_by("-pk")
    serializer_class = serializers.RegistryChangeSerializer
    filterset_class = filtersets.RegistryChangeFilterSet
    pagination_class = Pagination

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = self._refused_by_field(
            services.propose,
            self.request.user,
            data.get("target_type"),
            data.get("target_id"),
            data.get("values"),
            data.get("explanation", ""),
        )

    def perform_update(self, serializer):
        data = serializer.validated_data
        serializer.instance = self._refused_by_field(
            services.revise,
            serializer.instance,
            self.request.user,
            values=data.get("values"),
            explanation=data.get("explanation"),
            expected_version=expected_version(self.request, serializer),
        )

    @staticmethod
    def _refused_by_field(write, *args, **kwargs):
        """The service's refusal of the values, keyed by field as the API reports invalid input."""
        try:
            return write(*args, **kwargs)
        except services.ChangeRefused as refused:
            raise ValidationError(refused.fields) from refused


class ReconciliationViewSet(viewsets.GenericViewSet):
    """``?year=2025``: the registry's operating entries next to the published totals, per kind, with the gap."""

    permission_classes = [PublicReadPermission]
    serializer_class = serializers.ReconciliationSerializer
    queryset = models.PublishedTotal.objects.none()  # for PublicReadPermission; nothing is listed from it
    filter_backends = []
    pagination_class = None

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="the year, e.g. 2025")],
        responses=serializers.ReconciliationSerializer(many=True),
    )
    def list(self, request):
        try:
            year = int(request.query_params.get("year", services.RECONCILED_YEARS[-1]))
        except ValueError:
            raise ValidationError({"year": ["Enter a year such as 2025."]}) from None
        data = []
        for kind in services.KINDS:
            result = services.reconciliation(year, kind)
            rows = [
                {
                    "label": row.label,
                    "named": row.named,
                    "counted": row.counted,
                    "registry": row.registry,
                    "published": row.published,
                    "published_note": row.published_note,
                    "derived": row.derived,
                    "gap": row.gap,
                }
                for row in [result.total, *result.parts]
            ]
            data.append({"year": year, "kind": kind, "rows": rows})
        return Response(self.get_serializer(data, many=True).data)
