"""API viewsets: work summaries through the one review workflow (``review.api``), typical cases, and search.

Anonymous users and officers of other regions read published (approved) summaries only; an officer creates and
edits the own region's summary while it is open and submits it; reviewers return or approve it (``POST
…/{id}/submit|return|approve|reopen/``). Attachments are added with ``POST …/{id}/attachments/`` (multipart,
``file`` and ``version``). Every list joins the region and prefetches the attachments, so a page costs the same
number of queries for one row or many.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.api import Pagination, PublicReadPermission
from review.api import DELETE_WITH_VERSION, ReviewableViewSetMixin
from statistics.reference_filters import find_region

from .. import search, services
from ..filtersets import TypicalCaseFilterSet, WorkSummaryFilterSet
from ..models import TypicalCase, WorkSummary
from . import serializers


@extend_schema_view(destroy=DELETE_WITH_VERSION)
class WorkSummaryViewSet(ReviewableViewSetMixin, viewsets.ModelViewSet):
    queryset = (
        WorkSummary.objects.select_related("region")
        .prefetch_related("attachments")
        .order_by("-year", "region__display_order")
    )
    serializer_class = serializers.WorkSummarySerializer
    filterset_class = WorkSummaryFilterSet
    pagination_class = Pagination

    @extend_schema(request={"multipart/form-data": {"type": "object", "properties": {"file": {"format": "binary"}}}})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, pk=None, **kwargs):
        """Attach a PDF, DOCX, XLSX, PNG or JPEG file; a refused file leaves the summary as it was."""
        summary = self.get_object()
        upload = request.FILES.get("file")
        if upload is None:
            return Response({"file": [_("Choose a file to attach.")]}, status=status.HTTP_400_BAD_REQUEST)
        services.add_attachment(summary, upload, request.user, request.data.get("version"))
        summary = self.get_queryset().get(pk=summary.pk)
        return Response(self.get_serializer(summary).data, status=status.HTTP_201_CREATED)


class TypicalCaseViewSet(viewsets.ModelViewSet):
    """Everyone reads the published cases; administrators (model permissions) write them."""

    queryset = TypicalCase.objects.select_related("region").order_by("-year", "batch", "number")
    serializer_class = serializers.TypicalCaseSerializer
    filterset_class = TypicalCaseFilterSet
    permission_classes = [PublicReadPermission]
    pagination_class = Pagination


class SearchViewSet(viewsets.ViewSet):
    """Search the published summaries and cases (``?q=专利转化&year=2025&region=广东``); see ``localwork/search.py``."""

    title = gettext_lazy("Search the work summaries")  # the browsable API's name (``core.api_names``)
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Words or phrases, separated by spaces; all must match."),
            OpenApiParameter("year", int),
            OpenApiParameter("region", str, description="Region code or name."),
        ],
        responses=serializers.SearchHitSerializer(many=True),
    )
    def list(self, request):
        year = request.query_params.get("year") or None
        if year is not None and not str(year).isdigit():
            return Response({"year": [_("A year is a whole number, e.g. 2025.")]}, status=status.HTTP_400_BAD_REQUEST)
        region = None
        if request.query_params.get("region"):
            try:
                region = find_region(request.query_params["region"])
            except DjangoValidationError as error:
                return Response({"region": error.messages}, status=status.HTTP_400_BAD_REQUEST)
        hits = search.search(request.query_params.get("q", ""), year=int(year) if year else None, region=region)
        return Response(serializers.SearchHitSerializer(hits, many=True).data)
