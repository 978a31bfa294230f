"""The returns over the API: the same services as the admin screens (start, save, transitions with comments)."""

from django.db.models import Prefetch
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from review.api import ReviewableViewSetMixin, expected_version
from review.models import Action
from review.selectors import participating_through, readable_through

from .. import services
from ..filtersets import AnnualReturnFilterSet, IndicatorValueFilterSet, ReturnPeriodFilterSet, ValueCommentFilterSet
from ..models import AnnualReturn, IndicatorValue, ReturnPeriod, ValueComment
from ..provenance import LazyDemonstrationIds
from .serializers import (
    AnnualReturnSerializer,
    IndicatorValueSerializer,
    ReturnPeriodSerializer,
    ValueCommentSerializer,
)


class AnnualReturnViewSet(
    ReviewableViewSetMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Annual returns. Anonymous users read approved returns; officers create, fill in and submit their own
    region's; headquarters returns (with comments on single values: ``{"comments": {"R05": "…"}}``) or approves."""

    queryset = AnnualReturn.objects.select_related("region").prefetch_related(
        Prefetch("values", queryset=IndicatorValue.objects.select_related("indicator"))
    )
    serializer_class = AnnualReturnSerializer
    filterset_class = AnnualReturnFilterSet

    def get_serializer_context(self):
        def ids():
            return self.filter_queryset(self.get_queryset()).values("pk") if self.request else []

        return {**super().get_serializer_context(), "demonstration_ids": LazyDemonstrationIds(ids)}

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        annual_return = services.start_return(data["region"], data["year"], request.user)
        if data.get("values") or data.get("notes"):
            services.save_values(
                annual_return, request.user, annual_return.version, data.get("values", {}), data.get("notes", {})
            )
        annual_return = self.get_queryset().get(pk=annual_return.pk)
        return Response(self.get_serializer(annual_return).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        annual_return = self.get_object()
        serializer = self.get_serializer(annual_return, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.save_values(
            annual_return,
            request.user,
            expected_version(request, serializer),
            data.get("values", {}),
            data.get("notes", {}),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=annual_return.pk)).data)

    def perform_transition(self, obj, action_name, data):
        comments = self.request.data.get("comments") or {}
        if action_name in (Action.RETURN, Action.APPROVE) and isinstance(comments, dict):
            return services.review_with_comments(
                obj, self.request.user, action_name, data["comment"], comments, data["version"]
            )
        return super().perform_transition(obj, action_name, data)


class IndicatorValueViewSet(viewsets.ReadOnlyModelViewSet):
    """Single values of returns: of approved returns for everyone, and of the returns a user may see."""

    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilterSet
    permission_classes = []

    def get_serializer_context(self):
        def ids():
            values = self.filter_queryset(self.get_queryset()) if self.request else IndicatorValue.objects.none()
            return values.values("annual_return_id")

        return {**super().get_serializer_context(), "demonstration_ids": LazyDemonstrationIds(ids)}

    def get_queryset(self):
        queryset = IndicatorValue.objects.select_related("annual_return__region", "indicator").order_by("pk")
        return readable_through(self.request.user, queryset, "annual_return", AnnualReturn)


class ReturnPeriodViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = ReturnPeriod.objects.all()
    serializer_class = ReturnPeriodSerializer
    filterset_class = ReturnPeriodFilterSet
    permission_classes = []


class ValueCommentViewSet(viewsets.ReadOnlyModelViewSet):
    """Reviewers' comments on single values, for those who may see the return (never anonymous)."""

    serializer_class = ValueCommentSerializer
    filterset_class = ValueCommentFilterSet
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        comments = ValueComment.objects.select_related("annual_return__region", "indicator", "author").order_by("pk")
        return participating_through(self.request.user, comments, "annual_return", AnnualReturn)
