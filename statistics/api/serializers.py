"""Representations of the statistics app over the API.

Regions and countries appear by their natural keys and names (``{"code": "110000", "name_zh": "北京", …}``), never
by database ids, so that a figure reads the same on every installation. A patent row carries its derived
``total`` (invention + utility model + design); no total is stored (see ``docs/decisions.md``).
"""

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
    """The list representation of a serializer above, built from ``values_list`` rows instead of model instances.

    A 100-row page of figures spent most of its time building model instances and walking nested serializers;
    reading the same columns as tuples and assembling the dicts directly is several times faster. The output is
    the serializer's own, key for key: ``test_api_rows.py`` compares the two on every figures endpoint, so they
    cannot drift apart. ``nested`` names a related object shown as a dict (``region`` → code, names, level);
    ``total`` adds a patent row's derived total.
    """

    def __init__(self, fields: list[str], nested: dict[str, list[str]], total: bool = False):
        self.fields = fields
        self.nested = nested
        self.total = total
        self.columns = [
            column
            for field in fields
            for column in ([f"{field}__{sub}" for sub in nested[field]] if field in nested else [field])
        ]

    def represent(self, rows) -> list[dict]:
        represented = []
        for row in rows:
            values = iter(row)
            item = {}
            for field in self.fields:
                if field in self.nested:
                    item[field] = {sub: next(values) for sub in self.nested[field]}
                else:
                    item[field] = next(values)
            if self.total:
                item["total"] = item["invention"] + item["utility_model"] + item["design"]
            represented.append(item)
        return represented


REGION_REF = {"region": RegionRefSerializer.Meta.fields}
COUNTRY_REF = {"country": CountryRefSerializer.Meta.fields}
PATENT_VALUES = ["year", "measure", "invention", "utility_model", "design"]

ROWS = {
    models.RegionPatentFigure: Rows(["id", "region", *PATENT_VALUES], REGION_REF, total=True),
    models.CountryPatentFigure: Rows(["id", "country", *PATENT_VALUES], COUNTRY_REF, total=True),
    models.RegionTrademarkFigure: Rows(RegionTrademarkFigureSerializer.Meta.fields, REGION_REF),
    models.CountryTrademarkFigure: Rows(CountryTrademarkFigureSerializer.Meta.fields, COUNTRY_REF),
    models.RegionCountFigure: Rows(RegionCountFigureSerializer.Meta.fields, REGION_REF),
    models.CountryCountFigure: Rows(CountryCountFigureSerializer.Meta.fields, COUNTRY_REF),
}
