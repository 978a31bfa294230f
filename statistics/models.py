"""Reference dimensions (regions, countries) and the figures of appendix tables 1–12.

The twelve tables fall into three families, each stored once per entity (a region or a country) and year:

* patents (tables 1–6): invention, utility model and design, for filings, grants and patents in force;
* trademarks (tables 7–8): applications, registrations and registrations in force;
* single counts (tables 9–12): GI products, GI collective/certification marks, IC layout-design applications and
  certificates.

Totals are never stored: a row's total, the domestic, foreign and grand totals are derived (see ``totals.py``),
so they cannot disagree with their parts.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .naming import normalize_label

# "import" lets a user import spreadsheets into a model (django-import-export and the appendix importer); Django
# creates it as ``<app>.import_<model>`` alongside the usual four.
PERMISSIONS = ("add", "change", "delete", "view", "import")

# ---------------------------------------------------------------------------------------------------------------
# Reference dimensions
# ---------------------------------------------------------------------------------------------------------------


class LookupQuerySet(models.QuerySet):
    """Finds a region or country by any of the names or codes a person might type.

    Reference tables are small (about 50 regions, 200 countries), so matching happens on normalised labels in
    Python: ``北　京``, ``Beijing``, ``beijing`` and ``110000`` all find 北京.
    """

    lookup_fields: tuple[str, ...] = ()

    def index(self) -> dict[str, models.Model]:
        """Every normalised name and code → its entry (case-folded)."""
        entries = {}
        for entry in self:
            for field in self.lookup_fields:
                value = getattr(entry, field)
                if value:
                    entries.setdefault(normalize_label(value).casefold(), entry)
        return entries

    def lookup(self, term: str):
        """The entry matching ``term`` by name or code, or ``DoesNotExist``."""
        found = self.index().get(normalize_label(term).casefold())
        if found is None:
            raise self.model.DoesNotExist(f"{self.model._meta.object_name} {term!r} does not exist.")
        return found


class RegionQuerySet(LookupQuerySet):
    lookup_fields = ("name_zh", "full_name_zh", "name_en", "code")

    def province_level(self):
        return self.filter(level=Region.Level.PROVINCE)

    def of_which(self):
        return self.exclude(level=Region.Level.PROVINCE)


class Region(models.Model):
    """A province-level division, or a part of one that the appendix prints as an "of which" row.

    The 34 province-level divisions (31 provinces, 台湾, 香港, 澳门) add up to the domestic total. The
    sub-provincial cities and the XPCC are already counted in their province, so they carry a ``parent``.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("province-level division")
        CITY = "city", _("sub-provincial city")
        CORPS = "corps", _("Xinjiang Production and Construction Corps")

    code = models.CharField(_("code"), max_length=6, unique=True, help_text=_("GB/T 2260 division code"))
    name_zh = models.CharField(_("Chinese name"), max_length=20, unique=True)
    full_name_zh = models.CharField(_("full Chinese name"), max_length=30, unique=True)
    name_en = models.CharField(_("English name"), max_length=60, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.PROVINCE)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        limit_choices_to={"level": Level.PROVINCE},
    )
    display_order = models.PositiveSmallIntegerField(_("display order"), unique=True)

    objects = RegionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        default_permissions = PERMISSIONS
        ordering = ["display_order"]
        constraints = [
            models.CheckConstraint(
                name="region_parent_iff_part",
                condition=Q(level="province", parent__isnull=True) | (~Q(level="province") & Q(parent__isnull=False)),
                violation_error_message=_("A province-level division has no parent; a city or the XPCC has one."),
            ),
        ]

    def __str__(self):
        return self.name_zh

    def natural_key(self):
        return (self.code,)

    @property
    def is_part(self) -> bool:
        """True for an "of which" row, whose figures are already counted in its province."""
        return self.level != self.Level.PROVINCE


class CountryQuerySet(LookupQuerySet):
    lookup_fields = ("name_zh", "name_en", "code", "alpha2", "alpha3")


class Country(models.Model):
    """A country or territory of origin in the foreign tables, "其他" (other), or a joint multi-country holder."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("country or territory")
        OTHER = "other", _("other")
        JOINT = "joint", _("joint holders")

    code = models.CharField(
        _("code"), max_length=40, unique=True, help_text=_("ISO 3166-1 alpha-2; ZZ for other; joined codes for joint")
    )
    alpha2 = models.CharField(_("ISO alpha-2"), max_length=2, unique=True, null=True, blank=True)
    alpha3 = models.CharField(_("ISO alpha-3"), max_length=3, unique=True, null=True, blank=True)
    name_zh = models.CharField(_("Chinese name"), max_length=60, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COUNTRY)
    members = models.ManyToManyField(
        "self",
        verbose_name=_("member countries"),
        symmetrical=False,
        blank=True,
        related_name="joint_holdings",
        limit_choices_to={"kind": Kind.COUNTRY},
    )

    objects = CountryQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("country or territory")
        verbose_name_plural = _("countries and territories")
        default_permissions = PERMISSIONS
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="country_iso_codes_iff_country",
                condition=Q(kind="country", alpha2__isnull=False, alpha3__isnull=False)
                | (~Q(kind="country") & Q(alpha2__isnull=True, alpha3__isnull=True)),
                violation_error_message=_("A country has ISO codes; 'other' and joint holders have none."),
            ),
        ]

    def __str__(self):
        return self.name_zh

    def natural_key(self):
        return (self.code,)


# ---------------------------------------------------------------------------------------------------------------
# Appendix figures
# ---------------------------------------------------------------------------------------------------------------


class YearField(models.PositiveSmallIntegerField):
    """A statistical year; the appendix reports calendar years."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("verbose_name", _("year"))
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)


def count_field(verbose_name):
    return models.PositiveBigIntegerField(verbose_name)


class FigureQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)


class Figure(models.Model):
    """Common parts of every figures row: the year, the non-negative value columns and their checks.

    Subclasses set ``entity_field`` ("region" or "country") and ``value_fields``. Each row is checked by the
    database (unique entity/year/measure, non-negative values) and, for readable messages, by ``clean()``.
    """

    entity_field = ""
    value_fields: tuple[str, ...] = ()

    year = YearField()

    objects = FigureQuerySet.as_manager()
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.describe()

    def save(self, *args, **kwargs):
        """Every save from code (admin, shell, services) is validated first, so nothing invalid is half-saved."""
        self.full_clean()
        super().save(*args, **kwargs)

    @property
    def entity(self):
        return getattr(self, self.entity_field)

    def describe(self, field_name: str | None = None, entity=None) -> str:
        """ "北京 2025 专利申请 发明" (entity, year, measure, column): enough for an officer to find the cell."""
        if entity is None:
            entity = self.entity if getattr(self, f"{self.entity_field}_id", None) else "?"
        parts = [str(entity), str(self.year)]
        measure = getattr(self, "get_measure_display", None)
        if measure:
            parts.append(str(measure()))
        if field_name:
            parts.append(str(self._meta.get_field(field_name).verbose_name))
        return " ".join(parts)

    def clean(self):
        from .rules import negative_message, province_consistency_errors

        super().clean()
        errors = {
            name: ValidationError(negative_message(self.describe(name), getattr(self, name)), code="negative")
            for name in self.value_fields
            if getattr(self, name) is not None and getattr(self, name) < 0
        }
        if not errors and self.entity_field == "region" and getattr(self, "region_id", None):
            errors = province_consistency_errors(self)
        if errors:
            raise ValidationError(errors)

    def unique_error_message(self, model_class, unique_check):
        return ValidationError(
            _("%(cell)s: figures for this entity and year are already recorded; edit that row instead.")
            % {"cell": self.describe()},
            code="unique",
        )

    @classmethod
    def non_negative_constraints(cls, prefix: str, fields: tuple[str, ...]):
        return [
            models.CheckConstraint(name=f"{prefix}_{field}_non_negative", condition=Q(**{f"{field}__gte": 0}))
            for field in fields
        ]


class PatentMeasure(models.TextChoices):
    FILED = "filed", _("applications filed")
    GRANTED = "granted", _("patents granted")
    IN_FORCE = "in_force", _("patents in force at year end")


class PatentFigure(Figure):
    """Tables 1–6. The row total is derived: invention + utility model + design."""

    value_fields = ("invention", "utility_model", "design")

    measure = models.CharField(_("measure"), max_length=10, choices=PatentMeasure.choices)
    invention = count_field(_("invention"))
    utility_model = count_field(_("utility model"))
    design = count_field(_("design"))

    class Meta:
        abstract = True

    @property
    def total(self) -> int:
        return self.invention + self.utility_model + self.design


class RegionPatentFigure(PatentFigure):
    entity_field = "region"
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("domestic patent figures")
        verbose_name_plural = _("domestic patent figures (tables 1, 3, 5)")
        default_permissions = PERMISSIONS
        ordering = ["-year", "measure", "region__display_order"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "measure"], name="region_patent_unique"),
            *Figure.non_negative_constraints("region_patent", PatentFigure.value_fields),
        ]


class CountryPatentFigure(PatentFigure):
    entity_field = "country"
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("foreign patent figures")
        verbose_name_plural = _("foreign patent figures (tables 2, 4, 6)")
        default_permissions = PERMISSIONS
        ordering = ["-year", "measure", "country__code"]
        constraints = [
            models.UniqueConstraint(fields=["country", "year", "measure"], name="country_patent_unique"),
            *Figure.non_negative_constraints("country_patent", PatentFigure.value_fields),
        ]


class TrademarkFigure(Figure):
    """Tables 7–8. Three measures side by side; there is no row total."""

    value_fields = ("applications", "registrations", "in_force")

    applications = count_field(_("applications"))
    registrations = count_field(_("registrations"))
    in_force = count_field(_("registrations in force at year end"))

    class Meta:
        abstract = True


class RegionTrademarkFigure(TrademarkFigure):
    entity_field = "region"
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("domestic trademark figures")
        verbose_name_plural = _("domestic trademark figures (table 7)")
        default_permissions = PERMISSIONS
        ordering = ["-year", "region__display_order"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="region_trademark_unique"),
            *Figure.non_negative_constraints("region_trademark", TrademarkFigure.value_fields),
        ]


class CountryTrademarkFigure(TrademarkFigure):
    entity_field = "country"
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("foreign trademark figures")
        verbose_name_plural = _("foreign trademark figures (table 8)")
        default_permissions = PERMISSIONS
        ordering = ["-year", "country__code"]
        constraints = [
            models.UniqueConstraint(fields=["country", "year"], name="country_trademark_unique"),
            *Figure.non_negative_constraints("country_trademark", TrademarkFigure.value_fields),
        ]


class CountMeasure(models.TextChoices):
    GI_PRODUCTS = "gi_products", _("GI products approved (cumulative)")
    GI_MARKS = "gi_marks", _("GI collective and certification marks registered (cumulative)")
    IC_APPLICATIONS = "ic_applications", _("IC layout-design registration applications")
    IC_CERTIFICATES = "ic_certificates", _("IC layout-design certificates issued")


class CountFigure(Figure):
    """Tables 9–12: one count per entity, year and measure, for domestic regions and foreign countries alike."""

    value_fields = ("value",)

    measure = models.CharField(_("measure"), max_length=20, choices=CountMeasure.choices)
    value = count_field(_("value"))

    class Meta:
        abstract = True


class RegionCountFigure(CountFigure):
    entity_field = "region"
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("domestic GI and IC figures")
        verbose_name_plural = _("domestic GI and IC figures (tables 9–12)")
        default_permissions = PERMISSIONS
        ordering = ["-year", "measure", "region__display_order"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "measure"], name="region_count_unique"),
            *Figure.non_negative_constraints("region_count", CountFigure.value_fields),
        ]


class CountryCountFigure(CountFigure):
    entity_field = "country"
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("foreign GI and IC figures")
        verbose_name_plural = _("foreign GI and IC figures (tables 9–12)")
        default_permissions = PERMISSIONS
        ordering = ["-year", "measure", "country__code"]
        constraints = [
            models.UniqueConstraint(fields=["country", "year", "measure"], name="country_count_unique"),
            *Figure.non_negative_constraints("country_count", CountFigure.value_fields),
        ]


class ForeignRowOrder(models.Model):
    """The position at which a table prints a country's row.

    The report does not sort foreign rows the same way in every table (tables 9 and 10 list countries in the
    order they were first recorded), so the printed order is kept per table. Countries without a position follow,
    by code.
    """

    table = models.PositiveSmallIntegerField(_("table"))
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("foreign row order")
        verbose_name_plural = _("foreign row orders")
        default_permissions = PERMISSIONS
        ordering = ["table", "position"]
        constraints = [
            models.UniqueConstraint(fields=["table", "country"], name="foreign_row_order_unique"),
            models.CheckConstraint(name="foreign_row_order_table_range", condition=Q(table__gte=1, table__lte=12)),
        ]

    def __str__(self):
        return f"{self.table}: {self.country} #{self.position}"


__all__ = [
    "CountFigure",
    "CountMeasure",
    "Country",
    "CountryCountFigure",
    "CountryPatentFigure",
    "CountryTrademarkFigure",
    "ForeignRowOrder",
    "PatentMeasure",
    "Region",
    "RegionCountFigure",
    "RegionPatentFigure",
    "RegionTrademarkFigure",
]


# ---------------------------------------------------------------------------------------------------------------
# Import runs
# ---------------------------------------------------------------------------------------------------------------


class ImportRun(models.Model):
    """One import of one file: who ran it, when, which file, and what it did (or why it was refused).

    The per-record changes live in each model's history; this is the record of the import as a whole, and its
    ``processed_rows`` / ``total_rows`` drive the progress bar of long imports.
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        PREVIEWED = "previewed", _("previewed (dry run)")
        SUCCEEDED = "succeeded", _("succeeded")
        REFUSED = "refused", _("refused")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=60)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL, null=True, blank=True
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    total_rows = models.PositiveIntegerField(_("rows in file"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    # Where a background import keeps its uploaded file until it is confirmed, and how to read it.
    source = models.CharField(_("stored upload"), max_length=255, blank=True)
    source_format = models.PositiveSmallIntegerField(_("format"), default=0)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-started_at", "-pk"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def model_label(self) -> str:
        return self.kind
