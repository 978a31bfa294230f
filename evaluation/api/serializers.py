"""Serializers of the evaluation API: everything the report prints is named in Chinese as printed.

A result names its index (知识产权强国建设指数 / 地区知识产权发展指数), its scope, its component (综合指数 or the
sub-index's printed name), its year, value, change and status, and where the report prints it.
"""

from rest_framework import serializers

from ..models import FrameworkGroup, FrameworkIndicator, Membership, PublishedResult


class PublishedResultSerializer(serializers.ModelSerializer):
    index_name = serializers.CharField(source="index_name_zh", read_only=True)
    scope = serializers.CharField(source="scope.name_zh", read_only=True)
    scope_kind = serializers.CharField(source="scope.kind", read_only=True)
    province_code = serializers.CharField(source="scope.region.code", read_only=True, default=None)
    component = serializers.CharField(source="component_name_zh", read_only=True)
    component_group = serializers.CharField(source="component.name_zh", read_only=True, default=None)
    compared_with = serializers.CharField(source="compared_with.name_zh", read_only=True, default=None)
    derived_from = serializers.CharField(source="derived_from.key", read_only=True, default=None)

    class Meta:
        model = PublishedResult
        fields = [
            "key",
            "index",
            "index_name",
            "year",
            "scope",
            "scope_kind",
            "province_code",
            "component",
            "component_group",
            "measure",
            "value",
            "change",
            "position",
            "compared_with",
            "status",
            "derived_from",
            "formula",
            "source_line",
            "source_sentence",
            "also_printed_at",
            "note",
        ]
        read_only_fields = fields


class FrameworkGroupSerializer(serializers.ModelSerializer):
    level = serializers.IntegerField(read_only=True)
    parent = serializers.CharField(source="parent.name_zh", read_only=True, default=None)
    catalogue_group = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = FrameworkGroup
        fields = [
            "id",
            "framework",
            "level",
            "parent",
            "name_zh",
            "name_en",
            "subindex_name_zh",
            "position",
            "indicator_count",
            "count_basis",
            "first_number",
            "last_number",
            "range_basis",
            "catalogue_group",
            "source_line",
            "source_text",
        ]
        read_only_fields = fields


class FrameworkIndicatorSerializer(serializers.ModelSerializer):
    group = serializers.SerializerMethodField()
    catalogue_code = serializers.CharField(source="catalogue_indicator.code", read_only=True, default=None)
    name_zh = serializers.CharField(read_only=True)
    unit = serializers.CharField(read_only=True)
    is_placeholder = serializers.BooleanField(read_only=True)

    class Meta:
        model = FrameworkIndicator
        fields = [
            "id",
            "framework",
            "number",
            "group",
            "catalogue_code",
            "name_zh",
            "unit",
            "is_placeholder",
            "in_source_text",
            "direction",
            "value_kind",
            "source_line",
            "note",
        ]
        read_only_fields = fields

    def get_group(self, slot) -> str | None:
        """ "first-level / second-level" as printed; None where the source text does not say (表 4 Nos. 63–86)."""
        return str(slot.group) if slot.group_id else None


class MembershipSerializer(serializers.ModelSerializer):
    group = serializers.CharField(source="group.name_zh", read_only=True)
    group_kind = serializers.CharField(source="group.kind", read_only=True)
    province = serializers.CharField(source="province.name_zh", read_only=True)
    province_code = serializers.CharField(source="province.code", read_only=True)

    class Meta:
        model = Membership
        fields = ["group", "group_kind", "province", "province_code", "source_kind", "source", "source_line"]
        read_only_fields = fields
