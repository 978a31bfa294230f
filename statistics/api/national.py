"""The national figures and the national return over the API.

* ``/api/v1/national-figures/``: anonymous, read-only; every figure the reports print (and those of approved
  national returns) with its series name as printed, value, unit, qualifier, year, printed change, the change the
  application derives, and the source sentence and line. A figure the appendix holds shows the appendix's value.
  Filters: ``year`` (also ``year__gte``/``year__lte``), ``series``, ``chapter``, ``indicator``, ``document``, ``q``.
* ``/api/v1/national-returns/``: headquarters only (officers and anonymous users see nothing while a return is
  open; approved returns are public). Create with ``{"year": 2026}``, save values with ``{"values": {"N26": "83.1"},
  "notes": {…}, "version": n}``, and ``POST …/{id}/submit|return|approve|reopen/`` with ``{"version": n}``. The
  same services as the admin (``statistics.national_services``), so the same rules and messages.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.api import PublicReadPermission
from core.caching import CachedPublicReadMixin
from core.published_memo import PublishedMemo
from review.api import ReviewableSerializerMixin, ReviewableViewSetMixin, expected_version

from .. import national_services, selectors
from ..models.national import NationalFigure, NationalReturn
from ..national_filtersets import NationalFigureFilterSet
from .pagination import CountedPagination


class NationalFigureSerializer(serializers.Serializer):
    """One figure (``selectors.FigureRow``) as served."""

    id = serializers.IntegerField(source="figure.pk")
    series = serializers.CharField(source="figure.series.name_zh", help_text=_("The series' name as printed."))
    series_id = serializers.IntegerField(source="figure.series_id")
    indicator = serializers.CharField(source="figure.series.indicator.code", default=None, allow_null=True)
    year = serializers.IntegerField(source="figure.year")
    value = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True)
    value_origin = serializers.CharField(help_text=_("printed, appendix (derived from tables 1–12) or national return"))
    unit = serializers.CharField(source="figure.series.unit")
    qualifier = serializers.CharField(source="figure.qualifier")
    bound = serializers.CharField(source="figure.bound")
    printed = serializers.CharField(source="figure.printed")
    printed_change = serializers.DecimalField(
        source="figure.change_value", max_digits=18, decimal_places=4, allow_null=True
    )
    printed_change_kind = serializers.CharField(source="figure.change_kind")
    printed_change_text = serializers.CharField(source="figure.change_text")
    derived_change = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True)
    derived_change_percent = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    appendix = serializers.SerializerMethodField()
    document = serializers.CharField(source="figure.document")
    chapter = serializers.CharField(source="figure.chapter")
    section = serializers.CharField(source="figure.section")
    source_line = serializers.IntegerField(source="figure.source_line", allow_null=True)
    source_text = serializers.CharField(source="figure.source_text")
    note = serializers.SerializerMethodField()

    def get_appendix(self, row) -> dict | None:
        if not row.figure.series.appendix_relation:
            return None
        return {
            "reference": row.appendix_reference,
            "relation": row.figure.series.appendix_relation,
            "value": None if row.appendix_value is None else str(row.appendix_value),
        }

    def get_note(self, row) -> str:
        return "\n".join(part for part in (row.figure.note, row.figure.series.note) if part)


VALUE = serializers.DecimalField(max_digits=24, decimal_places=4)
CHANGE = serializers.DecimalField(max_digits=18, decimal_places=4)
PERCENT = serializers.DecimalField(max_digits=12, decimal_places=2)


def _decimal(field, value):
    return None if value is None else field.to_representation(value)


def figure_data(rows) -> list[dict]:
    """``NationalFigureSerializer``'s output for a list, field by field and by name, without a serializer per row.

    The serializer walks ~25 fields per row; this reads the same attributes once. ``test_national_api.py`` compares
    the two on every figure of the reports, so they cannot drift apart."""
    serializer = NationalFigureSerializer()
    data = []
    for row in rows:
        figure = row.figure
        series = figure.series
        data.append(
            {
                "id": figure.pk,
                "series": series.name_zh,
                "series_id": figure.series_id,
                "indicator": series.indicator.code if series.indicator_id else None,
                "year": figure.year,
                "value": _decimal(VALUE, row.value),
                "value_origin": row.value_origin,
                "unit": series.unit,
                "qualifier": figure.qualifier,
                "bound": figure.bound,
                "printed": figure.printed,
                "printed_change": _decimal(CHANGE, figure.change_value),
                "printed_change_kind": figure.change_kind,
                "printed_change_text": figure.change_text,
                "derived_change": _decimal(VALUE, row.derived_change),
                "derived_change_percent": _decimal(PERCENT, row.derived_change_percent),
                "appendix": serializer.get_appendix(row),
                "document": figure.document,
                "chapter": figure.chapter,
                "section": figure.section,
                "source_line": figure.source_line,
                "source_text": figure.source_text,
                "note": serializer.get_note(row),
            }
        )
    return data


def published_rows(figures=None) -> dict[int, dict]:
    """Every public figure (or those of ``figures``) as the list serves it (``figure_data``), by id."""
    figures = selectors.public_figures() if figures is None else figures
    values = selectors.plain_figure_values(figures)
    return {item["id"]: item for item in figure_data(selectors.plain_figure_rows(values))}


# Deriving a page's values, appendix totals and changes took most of an uncached request (issue 16); they change
# only when the published data does.
PUBLISHED_ROWS = PublishedMemo(published_rows)


class NationalFigureViewSet(CachedPublicReadMixin, viewsets.GenericViewSet):
    """Every national figure of the two reports, and those of approved national returns. Read-only, public."""

    listed_model = NationalFigure  # the browsable API's names (``core.api_names``): no ``queryset`` attribute here
    permission_classes = [PublicReadPermission]
    pagination_class = CountedPagination
    serializer_class = NationalFigureSerializer
    filterset_class = NationalFigureFilterSet

    def get_queryset(self):
        return selectors.public_figures()

    def list(self, request, *args, **kwargs):
        """The filters, order and page in SQL (the page's ids and the count in one query); each listed figure as
        derived once per published version (``PUBLISHED_ROWS``)."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()).values("id"))
        ids = [row["id"] for row in page]
        rows = PUBLISHED_ROWS.get()
        missing = [pk for pk in ids if pk not in rows]
        if missing:  # published or withdrawn between the page's query and the version's: those figures afresh
            rows = {**rows, **published_rows(self.get_queryset().filter(pk__in=missing))}
        return self.get_paginated_response([rows[pk] for pk in ids if pk in rows])

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(selectors.figure_rows([self.get_object()])[0]).data)


class NationalReturnSerializer(ReviewableSerializerMixin, serializers.ModelSerializer):
    values = serializers.DictField(
        child=serializers.CharField(allow_blank=True, allow_null=True),
        required=False,
        write_only=True,
        help_text=_("表 3 code → value; empty removes an entered value."),
    )
    notes = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False, write_only=True)
    entered = serializers.SerializerMethodField(help_text=_("The values headquarters entered, by 表 3 code."))
    prefilled = serializers.SerializerMethodField(
        help_text=_("The values the reports print (or the registry holds) for the year, with their source.")
    )

    class Meta:
        model = NationalReturn
        fields = ["id", "year", "state", "version", "modified_at", "submitted_at", "values", "notes", "entered"]
        fields += ["prefilled"]

    def get_entered(self, obj) -> dict:
        return {
            code: {"value": str(figure.value), "note": figure.note}
            for code, figure in selectors.return_values(obj).items()
        }

    def get_prefilled(self, obj) -> dict:
        return {
            code: {
                "value": str(sourced.value),
                "origin": sourced.origin,
                "printed": sourced.printed,
                "source": sourced.source,
            }
            for code, sourced in selectors.prefilled_indicator_values(obj.year).items()
        }


class NationalReturnListSerializer(NationalReturnSerializer):
    """A national return in a list: its year and state, without the values (read one return for them), so that a
    list costs the same queries whatever its length."""

    class Meta(NationalReturnSerializer.Meta):
        fields = ["id", "year", "state", "version", "modified_at", "submitted_at"]


class NationalReturnViewSet(
    ReviewableViewSetMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """National returns: headquarters enters the 表 3 values of a year; another headquarters user approves."""

    queryset = NationalReturn.objects.all()
    serializer_class = NationalReturnSerializer
    filterset_fields = ["year", "state"]

    def get_serializer_class(self):
        return NationalReturnListSerializer if self.action == "list" else NationalReturnSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        national_return = national_services.create_return(request.user, data["year"])
        if data.get("values") or data.get("notes"):
            national_services.save_values(
                national_return, request.user, data.get("values", {}), data.get("notes", {}), national_return.version
            )
        national_return.refresh_from_db()
        return Response(self.get_serializer(national_return).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        national_return = self.get_object()
        serializer = self.get_serializer(national_return, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "year" in data and data["year"] != national_return.year:
            raise national_services.NationalReturnError(_("The year of a national return cannot change."), "year")
        national_services.save_values(
            national_return,
            request.user,
            data.get("values", {}),
            data.get("notes", {}),
            expected_version(request, serializer),
        )
        national_return.refresh_from_db()
        return Response(self.get_serializer(national_return).data)

    def perform_transition(self, obj, action_name, data):
        return national_services.transition(obj, action_name, self.request.user, data["comment"], data["version"])


routes = [
    ("national-figures", NationalFigureViewSet, "national-figure"),
    ("national-returns", NationalReturnViewSet, "national-return"),
]
