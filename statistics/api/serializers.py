"""Representations of the statistics app over the API.

Regions and countries appear by their natural keys and names (``{"code": "110000", "name_zh": "北京", …}``), never
by database ids, so that a figure reads the same on every installation. A patent row carries its derived
``total`` (invention + utility model + design); no total is stored (see ``docs/decisions.md``).
"""

from functools import cached_property

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from statistics import models


class RegionRefSerializer(serializers.ModelSerializer):
    """A region inside another record: its code and names."""

    class Meta:
        model = models.Region
        fields = ["code", "name_zh", "name_en", "level"]
        read_only_fields = fields


class CountryRefSerializer(serializers.ModelSerializer):
    """A country inside another record: its code and names."""

    class Meta:
        model = models.Country
        fields = ["code", "name_zh", "name_en", "kind"]
        read_only_fields = fields


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text=_("The province's code."))

    class Meta:
        model = models.Region
        fields = ["code", "name_zh", "full_name_zh", "name_en", "level", "parent", "display_order"]
        read_only_fields = fields


class CountrySerializer(serializers.ModelSerializer):
    members = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text=_("Joint holders: the member countries' codes.")
    )

    class Meta:
        model = models.Country
        fields = ["code", "alpha2", "alpha3", "name_zh", "name_en", "kind", "members"]
        read_only_fields = fields


# ---------------------------------------------------------------------------------------------------------------
# Appendix figures
# ---------------------------------------------------------------------------------------------------------------


class PatentTotalMixin(serializers.Serializer):
    total = serializers.IntegerField(read_only=True, help_text=_("invention + utility model + design (derived)."))


class RegionPatentFigureSerializer(PatentTotalMixin, serializers.ModelSerializer):
    region = RegionRefSerializer(read_only=True)

    class Meta:
        model = models.RegionPatentFigure
        fields = ["id", "region", "year", "measure", "invention", "utility_model", "design", "total"]
        read_only_fields = fields


class CountryPatentFigureSerializer(PatentTotalMixin, serializers.ModelSerializer):
    country = CountryRefSerializer(read_only=True)

    class Meta:
        model = models.CountryPatentFigure
        fields = ["id", "country", "year", "measure", "invention", "utility_model", "design", "total"]
        read_only_fields = fields


class RegionTrademarkFigureSerializer(serializers.ModelSerializer):
    region = RegionRefSerializer(read_only=True)

    class Meta:
        model = models.RegionTrademarkFigure
        fields = ["id", "region", "year", "applications", "registrations", "in_force"]
        read_only_fields = fields


class CountryTrademarkFigureSerializer(serializers.ModelSerializer):
    country = CountryRefSerializer(read_only=True)

    class Meta:
        model = models.CountryTrademarkFigure
        fields = ["id", "country", "year", "applications", "registrations", "in_force"]
        read_only_fields = fields


class RegionCountFigureSerializer(serializers.ModelSerializer):
    region = RegionRefSerializer(read_only=True)

    class Meta:
        model = models.RegionCountFigure
        fields = ["id", "region", "year", "measure", "value"]
        read_only_fields = fields


class CountryCountFigureSerializer(serializers.ModelSerializer):
    country = CountryRefSerializer(read_only=True)

    class Meta:
        model = models.CountryCountFigure
        fields = ["id", "country", "year", "measure", "value"]
        read_only_fields = fields


# ---------------------------------------------------------------------------------------------------------------
# Indicator catalogue and import runs
# ---------------------------------------------------------------------------------------------------------------


class IndicatorGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.IndicatorGroup
        fields = ["id", "framework", "parent", "name_zh", "name_en", "position"]
        read_only_fields = fields


class IndicatorSerializer(serializers.ModelSerializer):
    group = IndicatorGroupSerializer(read_only=True)

    class Meta:
        model = models.Indicator
        fields = [
            "code",
            "framework",
            "number",
            "name_zh",
            "name_en",
            "unit",
            "group",
            "source",
            "formula",
            "source_detail",
            "required",
            "change_threshold",
            "position",
            "note",
        ]
        read_only_fields = fields


class ImportRunSerializer(serializers.ModelSerializer):
    """Who imported which file, when, and with what outcome. The stored upload's path is not shown."""

    user = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = models.ImportRun
        fields = [
            "id",
            "kind",
            "status",
            "user",
            "origin",
            "started_at",
            "finished_at",
            "filename",
            "sha256",
            "total_rows",
            "processed_rows",
            "created",
            "updated",
            "unchanged",
            "rejected",
            "problems",
            "language",
        ]
        read_only_fields = fields


# ---------------------------------------------------------------------------------------------------------------
# Lists without model instances
# ---------------------------------------------------------------------------------------------------------------


class Rows:
    """The list representation of a figures serializer above, built from ``values()`` rows instead of instances.

    A 100-row page spent most of its time building model instances and walking nested serializers. Here the columns
    are read by name, as the serializer declares them: a nested reference (``region`` → its code, names, level)
    becomes ``region__code`` … in the query and a dict in the answer; a patent row's ``total`` comes from
    ``with_total()`` (the one definition of a row total). ``test_api_rows.py`` compares the output with the
    serializer's own, key for key, on every figures endpoint, so the two cannot drift apart.
    """

    def __init__(self, serializer_class):
        self.serializer_class = serializer_class

    @cached_property
    def layout(self) -> list[tuple[str, list[tuple[str, str]] | None]]:
        """(field, None) for a value, (field, [(key, column)]) for a nested reference; in the serializer's order."""
        declared = self.serializer_class().fields
        return [
            (name, [(sub, f"{name}__{sub}") for sub in declared[name].Meta.fields])
            if isinstance(declared[name], serializers.ModelSerializer)
            else (name, None)
            for name in self.serializer_class.Meta.fields
        ]

    @cached_property
    def columns(self) -> list[str]:
        return [column for name, nested in self.layout for column in ([c for _sub, c in nested] if nested else [name])]

    def queryset(self, queryset):
        """``queryset`` (already filtered) as the ``values()`` rows this representation reads."""
        return queryset.with_total().values(*self.columns)

    def represent(self, rows) -> list[dict]:
        layout = self.layout
        return [
            {name: {sub: row[column] for sub, column in nested} if nested else row[name] for name, nested in layout}
            for row in rows
        ]


ROWS = {
    serializer_class.Meta.model: Rows(serializer_class)
    for serializer_class in (
        RegionPatentFigureSerializer,
        CountryPatentFigureSerializer,
        RegionTrademarkFigureSerializer,
        CountryTrademarkFigureSerializer,
        RegionCountFigureSerializer,
        CountryCountFigureSerializer,
    )
}
