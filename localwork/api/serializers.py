"""Representations of work summaries and typical cases over the API.

A region is written as its code or any of its names (``"440000"``, ``"广东"``) and read back as its code and names.
Key measures are a list of strings. ``narrative_html`` is the narrative as the pages show it (sanitised).
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from review.api import ReviewableSerializerMixin
from statistics.models import Region

from ..models import SUMMARY_REGIONS, Attachment, TypicalCase, WorkSummary

REGION_SCHEMA = {
    "oneOf": [
        {"type": "string", "description": "Written as the region's code or any of its names, e.g. 440000 or 广东."},
        {
            "type": "object",
            "description": "Read back as the region's code and names.",
            "properties": {name: {"type": "string"} for name in ("code", "name_zh", "full_name_zh", "name_en")},
        },
    ]
}


@extend_schema_field(REGION_SCHEMA)
class RegionField(serializers.RelatedField):
    default_error_messages = {
        "unknown": gettext_lazy("Unknown region “{value}”: give its code (e.g. 440000) or its name (e.g. 广东)."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Region.objects.filter(SUMMARY_REGIONS))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            return self.get_queryset().lookup(str(data))
        except Region.DoesNotExist:
            self.fail("unknown", value=data)

    def get_choices(self, cutoff=None):
        """The browsable API's select: keyed by the code that ``to_internal_value`` accepts (the representation, a
        dict, cannot be a key)."""
        queryset = self.get_queryset()
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {region.code: self.display_value(region) for region in queryset}

    def to_representation(self, value):
        return {
            "code": value.code,
            "name_zh": value.name_zh,
            "full_name_zh": value.full_name_zh,
            "name_en": value.name_en,
        }


class MeasuresField(serializers.ListField):
    """Stored one per line; a measure therefore may not contain a line break."""

    child = serializers.CharField(max_length=1000)

    def to_representation(self, data):
        return [line.strip() for line in (data or "").splitlines() if line.strip()]

    def to_internal_value(self, data):
        measures = [measure.strip() for measure in super().to_internal_value(data) if measure.strip()]
        if any("\n" in measure or "\r" in measure for measure in measures):
            raise serializers.ValidationError(_("A key measure is one line; split it into several measures."))
        return "\n".join(measures)


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "kind", "size", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, attachment) -> str:
        path = reverse("localwork:attachment", args=[attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class WorkSummarySerializer(ReviewableSerializerMixin, serializers.ModelSerializer):
    region = RegionField()
    key_measures = MeasuresField(required=False)
    narrative_html = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = WorkSummary
        fields = [
            "id", "region", "year", "narrative", "narrative_html", "key_measures", "attachments", "origin",
            "state", "version", "modified_at", "submitted_at",
        ]  # fmt: skip
        read_only_fields = ["origin"]
        validators = []  # the (region, year) rule is checked in validate() with a message that names them

    def get_narrative_html(self, summary) -> str:
        return str(summary.narrative_html)

    def validate(self, attrs):
        instance = self.instance
        if instance is not None:
            for name in ("region", "year"):
                if name in attrs and attrs[name] != getattr(instance, name):
                    raise serializers.ValidationError(
                        {name: _("The region and year of a work summary do not change; create another one instead.")}
                    )
            return attrs
        candidate = WorkSummary(region=attrs["region"], year=attrs["year"])
        if WorkSummary.objects.filter(region=attrs["region"], year=attrs["year"]).exists():
            error = candidate.unique_error_message(WorkSummary, ("region", "year"))
            raise serializers.ValidationError({"non_field_errors": error.messages})
        return attrs


class TypicalCaseSerializer(serializers.ModelSerializer):
    region = RegionField()

    class Meta:
        model = TypicalCase
        fields = ["id", "year", "batch", "number", "title", "region"]
        validators = []

    def validate(self, attrs):
        batch = attrs.get("batch", getattr(self.instance, "batch", None))
        number = attrs.get("number", getattr(self.instance, "number", None))
        clash = TypicalCase.objects.filter(batch=batch, number=number)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            error = TypicalCase(batch=batch, number=number).unique_error_message(TypicalCase, ("batch", "number"))
            raise serializers.ValidationError({"non_field_errors": error.messages})
        return attrs


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField(source="obj.pk")
    region = serializers.SerializerMethodField()
    year = serializers.IntegerField()
    title = serializers.CharField()
    snippet = serializers.CharField(help_text="HTML: the matches are in <mark>; everything else is escaped.")
    matches = serializers.IntegerField()

    def get_region(self, hit) -> dict:
        return RegionField().to_representation(hit.region)
