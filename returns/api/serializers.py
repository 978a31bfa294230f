from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from review.api import ReviewableSerializerMixin
from statistics.models import Region

from ..models import AnnualReturn, IndicatorValue, ReturnPeriod, ValueComment
from ..provenance import DEMONSTRATION_LABEL


class DemonstrationFieldsMixin(serializers.Serializer):
    """``demo_data`` and ``data_label`` (演示数据) on every row that comes from a made-up demonstration return."""

    demo_data = serializers.SerializerMethodField()
    data_label = serializers.SerializerMethodField()

    def _return_id(self, obj) -> int:
        return getattr(obj, "annual_return_id", None) or obj.pk

    def get_demo_data(self, obj) -> bool:
        return self._return_id(obj) in self.context.get("demonstration_ids", ())

    def get_data_label(self, obj) -> str:
        return DEMONSTRATION_LABEL if self.get_demo_data(obj) else ""


class IndicatorValueSerializer(DemonstrationFieldsMixin, serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name_zh", read_only=True)
    region = serializers.CharField(source="annual_return.region.code", read_only=True)
    year = serializers.IntegerField(source="annual_return.year", read_only=True)

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "region",
            "year",
            "indicator",
            "indicator_name",
            "value",
            "text",
            "note",
            "demo_data",
            "data_label",
        ]
        read_only_fields = fields


@extend_schema_field(
    {
        "type": "object",
        "description": "indicator code → {value, text, note} when read; indicator code → the text typed when written",
        "additionalProperties": {},
    }
)
class ValuesField(serializers.Field):
    """Reads as code → {value, text, note}; written as code → the text typed (as on the screen)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, annual_return) -> dict:
        return {
            value.indicator.code: {"value": value.value, "text": value.text, "note": value.note}
            for value in annual_return.values.all()
        }

    def to_internal_value(self, data) -> dict:
        if not isinstance(data, dict) or not all(isinstance(key, str) for key in data):
            raise serializers.ValidationError("Expected an object of indicator code → value.")
        return {"values": {key: "" if value is None else str(value) for key, value in data.items()}}


class AnnualReturnSerializer(DemonstrationFieldsMixin, ReviewableSerializerMixin, serializers.ModelSerializer):
    """A return with its stored values. Writing: ``region`` and ``year`` to create a draft; ``values`` and
    ``notes`` (indicator code → text) and the ``version`` read to update it."""

    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.reporting())
    region_name = serializers.CharField(source="region.name_zh", read_only=True)
    values = ValuesField(required=False)
    notes = serializers.DictField(child=serializers.CharField(allow_blank=True), write_only=True, required=False)

    class Meta:
        model = AnnualReturn
        fields = [
            "id",
            "region",
            "region_name",
            "year",
            "state",
            "version",
            "modified_at",
            "submitted_at",
            "values",
            "notes",
            "demo_data",
            "data_label",
        ]
        # A second return for a region and year is refused by ``services.start_return``, in its words (the admin
        # form says the same through ``AnnualReturn.unique_error_message``).
        validators = []


class ReturnPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReturnPeriod
        fields = ["year", "deadline", "closed"]


class ValueCommentSerializer(serializers.ModelSerializer):
    annual_return = serializers.IntegerField(source="annual_return_id", read_only=True)
    region = serializers.CharField(source="annual_return.region.code", read_only=True)
    year = serializers.IntegerField(source="annual_return.year", read_only=True)
    indicator = serializers.CharField(source="indicator.code", read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)

    class Meta:
        model = ValueComment
        fields = ["id", "annual_return", "region", "year", "indicator", "author", "text", "created_at"]
        read_only_fields = fields
