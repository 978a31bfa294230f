"""The API of index editions and their computed scores (read only; editions are written through
``evaluation.edition_services`` from the admin, the commands or the shell).

Who sees what is ``edition_selectors``' rule: anyone reads published editions past their embargo; headquarters
reads every edition. Score lists without ``?edition=`` hold the latest published edition's scores. Every row says
whether it comes from demonstration returns (``demo_data``, ``data_label`` 演示数据); computed scores never include
the report's printed figures, which are at ``/api/v1/index-results/``.
"""

from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from core.api import Pagination

from .. import edition_selectors
from ..edition_services import describe_warning
from ..models import Edition, EditionAggregate, EditionIndicatorScore, EditionScore
from ..models.editions import METHOD_FIELDS
from . import editions_filtersets as filtersets

DEMO_LABEL = "演示数据"


class DemoMarkMixin(serializers.Serializer):
    demo_data = serializers.SerializerMethodField()
    data_label = serializers.SerializerMethodField()

    def _edition(self, obj) -> Edition:
        return obj if isinstance(obj, Edition) else obj.edition

    def get_demo_data(self, obj) -> bool:
        return self._edition(obj).uses_demo_data

    def get_data_label(self, obj) -> str:
        return DEMO_LABEL if self._edition(obj).uses_demo_data else ""


class EditionSerializer(DemoMarkMixin, serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    method = serializers.SerializerMethodField()
    revision_log = serializers.SerializerMethodField()

    class Meta:
        model = Edition
        fields = [
            "id",
            "label",
            "year",
            "number",
            "title",
            "state",
            "version",
            "previous",
            "published_at",
            "embargo_until",
            "computed_at",
            "demo_data",
            "data_label",
            "method",
            "weight_fit",
            "inputs",
            "revision_log",
        ]

    def get_method(self, obj) -> dict:
        return {name: getattr(obj, name) for name in METHOD_FIELDS}

    def get_revision_log(self, obj) -> list:
        return [
            {
                "previous": entry.previous_id,
                "at": entry.at,
                "changes": entry.changes,
                "warnings": [describe_warning(w) for w in entry.warnings],
            }
            for entry in obj.revision_log.all()
        ]


class ScoreSerializer(DemoMarkMixin, serializers.ModelSerializer):
    edition = serializers.CharField(source="edition.label", read_only=True)
    edition_id = serializers.IntegerField(read_only=True)
    region = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name_zh", read_only=True)
    component = serializers.SerializerMethodField()

    class Meta:
        model = EditionScore
        fields = [
            "edition_id",
            "edition",
            "region",
            "region_name",
            "year",
            "component",
            "value",
            "rank",
            "rank_low",
            "rank_high",
            "unstable",
            "demo_data",
            "data_label",
        ]

    def get_component(self, obj) -> str:
        if obj.component is None:
            return "综合指数"
        return obj.component.subindex_name_zh or obj.component.name_zh


class IndicatorScoreSerializer(DemoMarkMixin, serializers.ModelSerializer):
    edition_id = serializers.IntegerField(read_only=True)
    region = serializers.CharField(source="region.code", read_only=True)
    number = serializers.IntegerField(source="indicator.number", read_only=True)
    code = serializers.CharField(source="indicator.catalogue_indicator.code", read_only=True)
    name = serializers.CharField(source="indicator.catalogue_indicator.name_zh", read_only=True)
    group = serializers.CharField(source="indicator.group.name_zh", read_only=True)
    flag_label = serializers.CharField(source="get_flag_display", read_only=True)

    class Meta:
        model = EditionIndicatorScore
        fields = [
            "edition_id",
            "region",
            "year",
            "number",
            "code",
            "name",
            "group",
            "raw",
            "flag",
            "flag_label",
            "normalised",
            "weight",
            "weight_in_subindex",
            "points",
            "points_vs_mean",
            "demo_data",
            "data_label",
        ]


class AggregateSerializer(DemoMarkMixin, serializers.ModelSerializer):
    edition_id = serializers.IntegerField(read_only=True)
    scope = serializers.CharField(source="scope.name_zh", read_only=True)
    component = serializers.SerializerMethodField()

    class Meta:
        model = EditionAggregate
        fields = ["edition_id", "scope", "year", "component", "value", "members", "demo_data", "data_label"]

    def get_component(self, obj) -> str:
        if obj.component is None:
            return "综合指数"
        return obj.component.subindex_name_zh or obj.component.name_zh


class EditionViewSet(viewsets.ReadOnlyModelViewSet):
    """Index editions: the method as data, the inputs, the fit of the weights and the revision log."""

    permission_classes = [AllowAny]
    pagination_class = Pagination
    serializer_class = EditionSerializer
    filterset_class = filtersets.EditionFilterSet

    def get_queryset(self):
        return edition_selectors.visible_editions(self.request.user).prefetch_related("revision_log")


class EditionRowsViewSet(viewsets.ReadOnlyModelViewSet):
    """Rows of the editions the user may see; without ``?edition=`` those of the latest published edition."""

    permission_classes = [AllowAny]
    pagination_class = Pagination
    rows = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: the model, without touching the data
            return self.rows.none()
        visible = edition_selectors.visible_editions(self.request.user)
        queryset = self.rows.filter(edition__in=visible)
        if not self.request.query_params.get("edition"):
            latest = edition_selectors.edition_for(None, None, None)
            queryset = queryset.filter(edition=latest) if latest else queryset.none()
        return queryset


class EditionScoreViewSet(EditionRowsViewSet):
    """Computed composite and sub-index scores per province and year, with rank and 5th–95th percentile rank
    interval (``?edition=``, ``?year=``, ``?region=``, ``?component=composite``)."""

    rows = EditionScore.objects.select_related("edition", "region", "component").order_by(
        "edition", "year", "component__position", "rank"
    )
    serializer_class = ScoreSerializer
    filterset_class = filtersets.EditionScoreFilterSet


class EditionIndicatorScoreViewSet(EditionRowsViewSet):
    """The breakdown: each indicator's raw value → normalised → effective weight → points, per province and year."""

    rows = EditionIndicatorScore.objects.select_related(
        "edition", "region", "indicator", "indicator__group", "indicator__catalogue_indicator"
    ).order_by("edition", "year", "region__display_order", "indicator__number")
    serializer_class = IndicatorScoreSerializer
    filterset_class = filtersets.EditionIndicatorScoreFilterSet


class EditionAggregateViewSet(EditionRowsViewSet):
    """Computed means (all provinces, four regions, strategic regions) and the median, per year and component."""

    rows = EditionAggregate.objects.select_related("edition", "scope", "component").order_by(
        "edition", "year", "scope__position", "component__position"
    )
    serializer_class = AggregateSerializer
    filterset_class = filtersets.EditionAggregateFilterSet


routes = [
    ("index-editions", EditionViewSet, "index-edition"),
    ("index-scores", EditionScoreViewSet, "index-score"),
    ("index-indicator-scores", EditionIndicatorScoreViewSet, "index-indicator-score"),
    ("index-computed-averages", EditionAggregateViewSet, "index-computed-average"),
]
