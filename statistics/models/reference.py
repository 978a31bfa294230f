"""Reference dimensions: regions (provinces, their cities and the XPCC) and countries of origin."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..naming import normalize_label

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


# Who reports to headquarters: the 31 provinces and the XPCC. The 2025 report prints 32 provincial work summaries,
# exactly these; 台湾, 香港 and 澳门 appear in the appendix's figures (counted by the administration's own offices)
# but submit no return and no summary. Returns, summaries, the tracker, its counts, officers' assignments and the
# deadline reminders all use this one definition (``Region.objects.reporting()``).
NON_REPORTING_CODES = ("710000", "810000", "820000")
REPORTING_REGIONS = (Q(level="province") & ~Q(code__in=NON_REPORTING_CODES)) | Q(level="corps")


class RegionQuerySet(LookupQuerySet):
    lookup_fields = ("name_zh", "full_name_zh", "name_en", "code")

    def reporting(self):
        """The regions that submit returns and work summaries to headquarters (see ``REPORTING_REGIONS``)."""
        return self.filter(REPORTING_REGIONS)

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

    @property
    def reports(self) -> bool:
        """True when the region submits returns and work summaries to headquarters (``REPORTING_REGIONS``)."""
        if self.level == self.Level.CORPS:
            return True
        return self.level == self.Level.PROVINCE and self.code not in NON_REPORTING_CODES


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
