"""The published registry entries and their yearly figures.

These rows are what the public pages, the API, the reconciliation and the annual returns read. Officers never write
them directly: their edits are ``RegistryChange`` requests that change an entry only when a reviewer approves them
(see ``changes.py``). Administrators write them through imports, the admin and ``load_report_data``.

Every rule lives in ``clean()`` (with the lifecycle rules of ``lifecycle.py``), and ``save()`` runs ``full_clean()``,
so that a save from the shell, the admin, an import or an approved change is refused the same way.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from statistics.models import Country, Region
from statistics.models.reference import PERMISSIONS

from .. import lifecycle
from ..lifecycle import Status

PROVINCE_LEVEL = {"level": Region.Level.PROVINCE}


def not_negative():
    return MinValueValidator(0, message=gettext_lazy("must not be negative (you entered %(show_value)s)."))


def year_field(verbose_name, **kwargs):
    return models.PositiveSmallIntegerField(verbose_name, null=True, blank=True, **kwargs)


class Level(models.TextChoices):
    NATIONAL = "national", gettext_lazy("national (国家级)")
    PROVINCIAL = "provincial", gettext_lazy("provincial (省级)")
    SUB_CENTRE = "sub_centre", gettext_lazy("sub-centre (分中心)")


class City(models.Model):
    """A city named by the registry, with its province: the rule "a centre's city belongs to its region".

    ``statistics.Region`` holds only the 15 sub-provincial cities (the appendix's "of which" rows); the registry also
    names prefecture- and county-level cities (淄博, 海口, 景德镇, 仁怀 …), so it keeps its own short list.
    ``name_en`` is the city's name in Hanyu Pinyin, as the regions' English names are (``core.names.name_of`` shows it
    on English pages); empty where none is known, and the Chinese name is shown.
    """

    name = models.CharField(gettext_lazy("name"), max_length=40)
    name_en = models.CharField(gettext_lazy("English name"), max_length=60, blank=True, default="")
    region = models.ForeignKey(
        Region,
        verbose_name=gettext_lazy("province"),
        on_delete=models.PROTECT,
        related_name="registry_cities",
        limit_choices_to=PROVINCE_LEVEL,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("city")
        verbose_name_plural = gettext_lazy("cities")
        default_permissions = PERMISSIONS
        ordering = ["region__display_order", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="protection_city_unique_name")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.region_id and self.region.level != Region.Level.PROVINCE:
            raise ValidationError(
                {
                    "region": _("A city belongs to a province-level division, not to %(region)s.")
                    % {"region": self.region}
                }
            )


class RegistryEntry(models.Model):
    """What every registry entry has: a name unique within its region, a status, and where the report says so."""

    stages: list[tuple[str, str]] = []
    start_field = ""  # the year from which the entry counts as operating

    name = models.CharField(gettext_lazy("name"), max_length=120)
    name_incomplete = models.BooleanField(
        gettext_lazy("name cut off in the source"),
        default=False,
        help_text=gettext_lazy(
            "on when the report's text breaks off inside the name; the name is kept as far as it is printed"
        ),
    )
    note = models.TextField(gettext_lazy("note"), blank=True)
    source = models.TextField(
        gettext_lazy("source"), blank=True, help_text=gettext_lazy("the sentence of the report that names the entry")
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.full_clean()
        super().save(*args, **kwargs)

    def validate_constraints(self, exclude=None):
        """The unique name is checked in ``clean`` with a message on the name field; skip the generic one."""
        super().validate_constraints(exclude={*(exclude or ()), "name"})

    def clean(self):
        problems = lifecycle.check(self, self.stages)
        for field, messages in self.extra_problems().items():
            problems.setdefault(field, []).extend(messages)
        duplicate = self.duplicate_name_problem()
        if duplicate:
            problems.setdefault("name", []).append(duplicate)
        if problems:
            raise ValidationError(problems)

    def extra_problems(self) -> dict[str, list[str]]:
        return {}

    def duplicate_name_problem(self) -> str | None:
        if not self.name:
            return None
        region = self.region if self.region_id else None
        others = type(self)._default_manager.filter(name=self.name, region=region).exclude(pk=self.pk)
        if others.exists():
            return _("%(model)s “%(name)s” already exists in %(region)s: names are unique within a region.") % {
                "model": self._meta.verbose_name,
                "name": self.name,
                "region": region or _("the national registry (no region)"),
            }
        return None

    def city_problem(self) -> str | None:
        if self.city_id and self.region_id and self.city.region_id != self.region_id:
            return _("%(city)s is in %(city_region)s, not in %(region)s: choose a city of the entry's region.") % {
                "city": self.city,
                "city_region": self.city.region,
                "region": self.region,
            }
        return None

    def region_problem(self) -> str | None:
        if self.region_id and self.region.level != Region.Level.PROVINCE:
            return _("Choose the province-level division (%(region)s is part of %(parent)s).") % {
                "region": self.region,
                "parent": self.region.parent,
            }
        return None


class Centre(RegistryEntry):
    """An IP protection centre or a rapid rights-protection centre."""

    class Kind(models.TextChoices):
        PROTECTION = "protection", gettext_lazy("IP protection centre (知识产权保护中心)")
        RAPID = "rapid", gettext_lazy("rapid rights-protection centre (快速维权中心)")

    stages = [
        (Status.APPLYING, "applied_year"),
        (Status.APPROVED, "approved_year"),
        (Status.CONSTRUCTION, "construction_year"),
        (Status.ACCEPTED, "accepted_year"),
        (Status.OPERATING, "operating_year"),
        (Status.CLOSED, "closed_year"),
    ]
    start_field = "operating_year"

    kind = models.CharField(gettext_lazy("kind"), max_length=12, choices=Kind.choices)
    level = models.CharField(gettext_lazy("level"), max_length=12, choices=Level.choices, default=Level.NATIONAL)
    region = models.ForeignKey(
        Region,
        verbose_name=gettext_lazy("region"),
        on_delete=models.PROTECT,
        related_name="protection_centres",
        limit_choices_to=PROVINCE_LEVEL,
    )
    city = models.ForeignKey(
        City, verbose_name=gettext_lazy("city"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    industries = models.TextField(
        gettext_lazy("industries served"), blank=True, help_text=gettext_lazy("separated by 、 or commas")
    )
    pre_examination = models.BooleanField(gettext_lazy("patent pre-examination (专利预审)"), default=False)
    remote_hearing = models.BooleanField(gettext_lazy("remote hearing (远程审理)"), default=False)
    rapid_protection = models.BooleanField(gettext_lazy("rapid rights protection (快速维权)"), default=False)
    status = models.CharField(gettext_lazy("status"), max_length=12, choices=Status.choices, db_index=True)
    applied_year = year_field(gettext_lazy("year applied (申建)"))
    approved_year = year_field(gettext_lazy("year approved for construction (获批建设)"))
    construction_year = year_field(gettext_lazy("year construction started (筹建)"))
    accepted_year = year_field(gettext_lazy("year accepted (通过验收)"))
    operating_year = year_field(gettext_lazy("year operation started (运行)"))
    closed_year = year_field(gettext_lazy("year closed"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("protection centre")
        verbose_name_plural = gettext_lazy("protection centres")
        default_permissions = PERMISSIONS
        ordering = ["region__display_order", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="protection_centre_unique_name")]

    def extra_problems(self):
        problems = {}
        if self.region_problem():
            problems["region"] = [self.region_problem()]
        if self.city_problem():
            problems["city"] = [self.city_problem()]
        return problems


class Platform(RegistryEntry):
    """An overseas IP-dispute response guidance platform: local, industry or overseas."""

    class Kind(models.TextChoices):
        LOCAL = "local", gettext_lazy("local platform (地方工作平台)")
        INDUSTRY = "industry", gettext_lazy("industry platform (产业工作平台)")
        OVERSEAS = "overseas", gettext_lazy("overseas platform (海外工作平台)")

    stages = [(Status.APPROVED, "established_year"), (Status.CLOSED, "closed_year")]
    start_field = "established_year"

    kind = models.CharField(gettext_lazy("kind"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=gettext_lazy("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="protection_platforms",
        limit_choices_to=PROVINCE_LEVEL,
        help_text=gettext_lazy("empty for a platform the report names without a region"),
    )
    city = models.ForeignKey(
        City, verbose_name=gettext_lazy("city"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    host_country = models.ForeignKey(
        Country,
        verbose_name=gettext_lazy("host country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    industry = models.CharField(
        gettext_lazy("industry"), max_length=60, blank=True, help_text=gettext_lazy("for an industry platform")
    )
    status = models.CharField(gettext_lazy("status"), max_length=12, choices=lifecycle.SHORT_STATUS_CHOICES)
    established_year = year_field(gettext_lazy("year established"))
    closed_year = year_field(gettext_lazy("year closed"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("overseas dispute-response platform")
        verbose_name_plural = gettext_lazy("overseas dispute-response platforms")
        default_permissions = PERMISSIONS
        ordering = ["kind", "region__display_order", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="protection_platform_unique_name")]

    def extra_problems(self):
        problems: dict[str, list[str]] = {}
        if self.region_problem():
            problems["region"] = [self.region_problem()]
        if self.city_problem():
            problems["city"] = [self.city_problem()]
        if self.city_id and not self.region_id:
            problems["city"] = [_("A platform with a city needs the city's region.")]
        if self.kind == self.Kind.OVERSEAS and not self.host_country_id:
            problems["host_country"] = [_("An overseas platform needs its host country.")]
        if self.kind == self.Kind.LOCAL and not self.region_id:
            problems["region"] = [_("A local platform needs its region.")]
        if self.kind == self.Kind.INDUSTRY and not self.industry.strip():
            problems["industry"] = [_("An industry platform needs its industry (for example shipbuilding).")]
        return problems


class Workstation(RegistryEntry):
    """An overseas workstation, service point, liaison station or assistance point, hosted in one country."""

    class Kind(models.TextChoices):
        WORKSTATION = "workstation", gettext_lazy("overseas workstation (海外维权工作站)")
        SERVICE_POINT = "service_point", gettext_lazy("service point (服务点)")
        LIAISON_STATION = "liaison_station", gettext_lazy("liaison station (联络站)")
        ASSISTANCE_POINT = "assistance_point", gettext_lazy("assistance point (维权援助点)")

    stages = [(Status.APPROVED, "established_year"), (Status.CLOSED, "closed_year")]
    start_field = "established_year"

    kind = models.CharField(gettext_lazy("kind"), max_length=16, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=gettext_lazy("home region"),
        on_delete=models.PROTECT,
        related_name="protection_workstations",
        limit_choices_to=PROVINCE_LEVEL,
    )
    host_country = models.ForeignKey(
        Country, verbose_name=gettext_lazy("host country"), on_delete=models.PROTECT, related_name="+"
    )
    parent_platform = models.ForeignKey(
        Platform,
        verbose_name=gettext_lazy("parent platform"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workstations",
    )
    status = models.CharField(gettext_lazy("status"), max_length=12, choices=lifecycle.SHORT_STATUS_CHOICES)
    established_year = year_field(gettext_lazy("year established"))
    closed_year = year_field(gettext_lazy("year closed"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("overseas workstation")
        verbose_name_plural = gettext_lazy("overseas workstations")
        default_permissions = PERMISSIONS
        ordering = ["region__display_order", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="protection_workstation_unique_name")]

    def extra_problems(self):
        return {"region": [self.region_problem()]} if self.region_problem() else {}


class YearlyFigures(models.Model):
    """One entry's figures for one year. Never negative; one row per entry and year."""

    entry_field = ""
    year = models.PositiveSmallIntegerField(gettext_lazy("year"))

    class Meta:
        abstract = True

    def __str__(self):
        return f"{getattr(self, self.entry_field)} {self.year}"

    def save(self, *args, **kwargs):
        self.full_clean()
        super().save(*args, **kwargs)

    @property
    def region(self):
        return getattr(self, self.entry_field).region

    def clean(self):
        if self.year is not None and not lifecycle.FIRST_YEAR <= self.year <= lifecycle.LAST_YEAR:
            raise ValidationError(
                {
                    "year": _("Enter a year between %(first)s and %(last)s.")
                    % {"first": lifecycle.FIRST_YEAR, "last": lifecycle.LAST_YEAR}
                }
            )


def non_negative_constraint(model_name, *fields):
    condition = Q()
    for field in fields:
        condition &= Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0})
    return models.CheckConstraint(
        condition=condition,
        name=f"protection_{model_name}_not_negative",
        violation_error_message=gettext_lazy("Figures must not be negative."),
    )


class CentreFigures(YearlyFigures):
    """A centre's yearly performance: cases accepted, pre-examination requests, average handling time."""

    entry_field = "centre"

    centre = models.ForeignKey(
        Centre, verbose_name=gettext_lazy("centre"), on_delete=models.CASCADE, related_name="figures"
    )
    cases_accepted = models.IntegerField(
        gettext_lazy("cases accepted (受理维权案件)"), null=True, blank=True, validators=[not_negative()]
    )
    pre_examination_requests = models.IntegerField(
        gettext_lazy("pre-examination requests (预审请求)"), null=True, blank=True, validators=[not_negative()]
    )
    average_handling_days = models.DecimalField(
        gettext_lazy("average handling time (days)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[not_negative()],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("centre yearly figures")
        verbose_name_plural = gettext_lazy("centre yearly figures")
        default_permissions = PERMISSIONS
        ordering = ["centre__region__display_order", "centre__name", "year"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "year"], name="protection_centrefigures_unique_year"),
            non_negative_constraint(
                "centrefigures", "cases_accepted", "pre_examination_requests", "average_handling_days"
            ),
        ]


class PlatformFigures(YearlyFigures):
    """A platform's yearly figures: guidance and consultation services, losses recovered (亿元)."""

    entry_field = "platform"

    platform = models.ForeignKey(
        Platform, verbose_name=gettext_lazy("platform"), on_delete=models.CASCADE, related_name="figures"
    )
    guidance_services = models.IntegerField(
        gettext_lazy("guidance and consultation services (次)"), null=True, blank=True, validators=[not_negative()]
    )
    losses_recovered = models.DecimalField(
        gettext_lazy("losses recovered (亿元)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[not_negative()],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("platform yearly figures")
        verbose_name_plural = gettext_lazy("platform yearly figures")
        default_permissions = PERMISSIONS
        ordering = ["platform__name", "year"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "year"], name="protection_platformfigures_unique_year"),
            non_negative_constraint("platformfigures", "guidance_services", "losses_recovered"),
        ]
