"""Serializers of the registry API. Regions and countries appear by code and Chinese name, entries by id and name.

The change-request serializer checks the proposed values with the entry's own rules and answers field by field,
keyed by the entry's field names (``{"accepted_year": ["… cannot go backwards."]}``), before anything is saved.
"""

from rest_framework import serializers

from review.api import ReviewableSerializerMixin
from review.models import State

from .. import models


class RegionMixin(serializers.Serializer):
    region_code = serializers.CharField(source="region.code", read_only=True, default=None)
    region_name = serializers.CharField(source="region.name_zh", read_only=True, default=None)


class CitySerializer(RegionMixin, serializers.ModelSerializer):
    class Meta:
        model = models.City
        fields = ["id", "name", "name_en", "region", "region_code", "region_name"]


class CentreSerializer(RegionMixin, serializers.ModelSerializer):
    city_name = serializers.CharField(source="city.name", read_only=True, default=None)

    class Meta:
        model = models.Centre
        fields = [
            "id",
            "name",
            "name_incomplete",
            "kind",
            "level",
            "region",
            "region_code",
            "region_name",
            "city",
            "city_name",
            "industries",
            "pre_examination",
            "remote_hearing",
            "rapid_protection",
            "status",
            "applied_year",
            "approved_year",
            "construction_year",
            "accepted_year",
            "operating_year",
            "closed_year",
            "note",
            "source",
        ]


class PlatformSerializer(RegionMixin, serializers.ModelSerializer):
    city_name = serializers.CharField(source="city.name", read_only=True, default=None)
    host_country_code = serializers.CharField(source="host_country.code", read_only=True, default=None)

    class Meta:
        model = models.Platform
        fields = [
            "id",
            "name",
            "kind",
            "region",
            "region_code",
            "region_name",
            "city",
            "city_name",
            "host_country",
            "host_country_code",
            "industry",
            "status",
            "established_year",
            "closed_year",
            "note",
            "source",
        ]


class WorkstationSerializer(RegionMixin, serializers.ModelSerializer):
    host_country_code = serializers.CharField(source="host_country.code", read_only=True)
    host_country_name = serializers.CharField(source="host_country.name_zh", read_only=True)
    parent_platform_name = serializers.CharField(source="parent_platform.name", read_only=True, default=None)

    class Meta:
        model = models.Workstation
        fields = [
            "id",
            "name",
            "kind",
            "region",
            "region_code",
            "region_name",
            "host_country",
            "host_country_code",
            "host_country_name",
            "parent_platform",
            "parent_platform_name",
            "status",
            "established_year",
            "closed_year",
            "note",
            "source",
        ]


class CentreFiguresSerializer(serializers.ModelSerializer):
    centre_name = serializers.CharField(source="centre.name", read_only=True)
    region_name = serializers.CharField(source="centre.region.name_zh", read_only=True)

    class Meta:
        model = models.CentreFigures
        fields = [
            "id",
            "centre",
            "centre_name",
            "region_name",
            "year",
            "cases_accepted",
            "pre_examination_requests",
            "average_handling_days",
        ]


class PlatformFiguresSerializer(serializers.ModelSerializer):
    platform_name = serializers.CharField(source="platform.name", read_only=True)

    class Meta:
        model = models.PlatformFigures
        fields = ["id", "platform", "platform_name", "year", "guidance_services", "losses_recovered"]


class ProvincialCountSerializer(RegionMixin, serializers.ModelSerializer):
    class Meta:
        model = models.ProvincialCount
        fields = [
            "id",
            "region",
            "region_code",
            "region_name",
            "year",
            "register",
            "kind",
            "level",
            "status",
            "scope",
            "number",
            "exact",
            "printed",
            "source",
            "note",
        ]


class PublishedTotalSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.PublishedTotal
        fields = ["id", "year", "measure", "value", "unit", "qualifier", "printed", "document", "source"]


class RegistryChangeSerializer(ReviewableSerializerMixin, serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    problems = serializers.SerializerMethodField()

    class Meta:
        model = models.RegistryChange
        fields = [
            "id",
            "target_type",
            "target_id",
            "region",
            "values",
            "explanation",
            "state",
            "version",
            "modified_at",
            "submitted_at",
            "applied_at",
            "problems",
        ]
        read_only_fields = ["applied_at"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            # What a change is about is fixed once it exists; only its values and explanation change.
            fields["target_type"].read_only = True
            fields["target_id"].read_only = True
        return fields

    def get_problems(self, change) -> list[str]:
        """Problems that would stop submission now (empty once it may be submitted); not computed for lists."""
        if isinstance(self.parent, serializers.ListSerializer) or change.state == State.APPROVED:
            return []
        return change.labelled_problems()


class ReconciliationRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    named = serializers.IntegerField()
    counted = serializers.IntegerField()
    registry = serializers.IntegerField()
    published = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    published_note = serializers.CharField()
    derived = serializers.BooleanField()
    gap = serializers.IntegerField(allow_null=True)


class ReconciliationSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    kind = serializers.CharField()
    rows = ReconciliationRowSerializer(many=True)
