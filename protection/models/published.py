"""What the reports give without names: a province's count of entries, and the published national totals.

The report names only some institutions ("新建新疆等 5 家", "累计建成 … 地方工作平台 3 个"). A province's count
is kept as a ``ProvincialCount`` beside the named entries, and the national totals as ``PublishedTotal`` with their
source sentence, so the reconciliation can show what the registry has against what was published.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from statistics.models import Region
from statistics.models.reference import PERMISSIONS

from .. import lifecycle
from ..lifecycle import Status
from .registry import Centre, Level, Platform, Workstation


class Register(models.TextChoices):
    CENTRES = "centres", gettext_lazy("protection centres")
    PLATFORMS = "platforms", gettext_lazy("overseas dispute-response platforms")
    WORKSTATIONS = "workstations", gettext_lazy("overseas workstations")
    LOCAL_STATIONS = "local_stations", gettext_lazy("provincial protection stations and service networks")


class LocalStationKind(models.TextChoices):
    """What the provinces count without naming, beside the three registries (no named entries exist for these)."""

    PROTECTION_WORKSTATION = "protection_ws", gettext_lazy("IP protection workstation (知识产权保护工作站)")
    ASSISTANCE_WORKSTATION = "assistance_ws", gettext_lazy("rights-assistance workstation (维权援助工作站)")
    MEDIATION_WORKSTATION = "mediation_ws", gettext_lazy("litigation-mediation workstation (诉调对接工作站)")
    PREFECTURE_CENTRE = "prefecture_centre", gettext_lazy("prefecture centre (地州中心)")
    NETWORK_WORKSTATION = "network_ws", gettext_lazy("service-network workstation (工作站)")


REGISTER_MODELS = {Register.CENTRES: Centre, Register.PLATFORMS: Platform, Register.WORKSTATIONS: Workstation}
# The registers whose counts stand for entries of a registry (the reconciliation and the summary add them up).
ENTRY_REGISTERS = tuple(REGISTER_MODELS)
KINDS_OF = {
    **{register: model.Kind.values for register, model in REGISTER_MODELS.items()},
    Register.LOCAL_STATIONS: LocalStationKind.values,
}

KIND_CHOICES = [
    *Centre.Kind.choices,
    *Platform.Kind.choices,
    *Workstation.Kind.choices,
    *LocalStationKind.choices,
]


class ProvincialCount(models.Model):
    """A number of entries a province reports without naming them, e.g. 天津 "地方工作平台 3 个".

    A count stands for entries the province does not name; the fixtures never count a named entry twice.
    ``exact`` is off when the printed number mixes in something else (河北's "地方工作平台和市级预警平台 9 个"): such
    a count is kept as printed but not added to the registry's counts.
    """

    class Scope(models.TextChoices):
        TOTAL = "total", gettext_lazy("total at the end of the year")
        ADDED = "added", gettext_lazy("added during the year")

    region = models.ForeignKey(
        Region,
        verbose_name=gettext_lazy("region"),
        on_delete=models.PROTECT,
        related_name="protection_counts",
        limit_choices_to={"level": Region.Level.PROVINCE},
    )
    year = models.PositiveSmallIntegerField(gettext_lazy("year"))
    register = models.CharField(gettext_lazy("registry"), max_length=16, choices=Register.choices)
    kind = models.CharField(
        gettext_lazy("kind"),
        max_length=20,
        choices=KIND_CHOICES,
        blank=True,
        help_text=gettext_lazy("empty when the report does not say which kind"),
    )
    level = models.CharField(gettext_lazy("level"), max_length=12, choices=Level.choices, blank=True)
    status = models.CharField(gettext_lazy("status"), max_length=12, choices=Status.choices)
    scope = models.CharField(gettext_lazy("scope"), max_length=8, choices=Scope.choices, default=Scope.TOTAL)
    number = models.IntegerField(
        gettext_lazy("number"),
        validators=[MinValueValidator(0, message=gettext_lazy("must not be negative (you entered %(show_value)s)."))],
    )
    exact = models.BooleanField(
        gettext_lazy("counts only this kind"),
        default=True,
        help_text=gettext_lazy("off when the printed number includes other things; then it is not added to counts"),
    )
    printed = models.CharField(gettext_lazy("as printed"), max_length=200, blank=True)
    source = models.TextField(gettext_lazy("source"), blank=True)
    note = models.TextField(gettext_lazy("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("provincial count")
        verbose_name_plural = gettext_lazy("provincial counts")
        default_permissions = PERMISSIONS
        ordering = ["region__display_order", "year", "register", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "register", "kind", "level", "status"], name="protection_count_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=0),
                name="protection_count_not_negative",
                violation_error_message=gettext_lazy("A count must not be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.region} {self.year} {self.get_register_display()} {self.get_kind_display()} {self.number}"

    def save(self, *args, **kwargs):
        self.full_clean()
        super().save(*args, **kwargs)

    def clean(self):
        problems = {}
        if self.register and self.kind and self.kind not in KINDS_OF[Register(self.register)]:
            problems["kind"] = [
                _("“%(kind)s” is not a kind of %(register)s.")
                % {"kind": self.get_kind_display(), "register": self.get_register_display()}
            ]
        if self.level and self.register != Register.CENTRES:
            problems["level"] = [_("Only centres have a level.")]
        if self.year is not None and not lifecycle.FIRST_YEAR <= self.year <= lifecycle.LAST_YEAR:
            problems["year"] = [
                _("Enter a year between %(first)s and %(last)s.")
                % {"first": lifecycle.FIRST_YEAR, "last": lifecycle.LAST_YEAR}
            ]
        if self.region_id and self.region.level != Region.Level.PROVINCE:
            problems["region"] = [_("Choose a province-level division.")]
        if problems:
            raise ValidationError(problems)


class PublishedTotal(models.Model):
    """A national figure as the report prints it, with the sentence it comes from."""

    class Measure(models.TextChoices):
        CENTRES = "centres", gettext_lazy("national protection centres and rapid centres (total)")
        CENTRES_PROTECTION_ADDED = "centres_protection_added", gettext_lazy("national protection centres added")
        CENTRES_RAPID_ADDED = "centres_rapid_added", gettext_lazy("rapid rights-protection centres added")
        REMOTE_HEARING_CENTRES = "remote_hearing_centres", gettext_lazy("protection centres with remote hearing")
        PLATFORMS = "platforms", gettext_lazy("overseas dispute-response platforms (total)")
        PLATFORMS_LOCAL = "platforms_local", gettext_lazy("local platforms (total)")
        PLATFORMS_INDUSTRY = "platforms_industry", gettext_lazy("industry platforms (total)")
        PLATFORMS_OVERSEAS = "platforms_overseas", gettext_lazy("overseas platforms (total)")
        PLATFORMS_ADDED = "platforms_added", gettext_lazy("platforms added")
        PLATFORMS_LOCAL_ADDED = "platforms_local_added", gettext_lazy("local platforms added")
        PLATFORMS_INDUSTRY_ADDED = "platforms_industry_added", gettext_lazy("industry platforms added")
        PLATFORMS_OVERSEAS_ADDED = "platforms_overseas_added", gettext_lazy("overseas platforms added")
        CASES_ACCEPTED = "cases_accepted", gettext_lazy("cases accepted by the centres")
        PRE_EXAMINATION_REQUESTS = "pre_examination_requests", gettext_lazy("pre-examination requests")
        GUIDANCE_SERVICES = "guidance_services", gettext_lazy("guidance and consultation services")
        LOSSES_RECOVERED = "losses_recovered", gettext_lazy("losses recovered")
        CENTRES_ADDED = "centres_added", gettext_lazy("national protection centres and rapid centres added")
        CENTRES_PROVINCES = "centres_provinces", gettext_lazy("provinces covered by the centres")
        CENTRES_REGISTERED_ENTITIES = (
            "centres_registered_entities",
            gettext_lazy("innovation entities registered with the centres (备案创新主体)"),
        )
        CASE_HANDLING_PERIOD = "case_handling_period", gettext_lazy("average handling period of the centres' cases")
        PRE_EXAMINED_GRANT_PERIOD = (
            "pre_examined_grant_period",
            gettext_lazy("average grant period of pre-examined invention patents"),
        )
        CASES_ACCEPTED_CUMULATIVE = (
            "cases_accepted_cumulative",
            gettext_lazy("cases accepted by the centres, cumulative (累计)"),
        )
        DISPUTES_GUIDED_CUMULATIVE = (
            "disputes_guided_cumulative",
            gettext_lazy("overseas disputes guided by the platforms, cumulative (累计)"),
        )
        LOSSES_RECOVERED_CUMULATIVE = (
            "losses_recovered_cumulative",
            gettext_lazy("losses recovered with the platforms' help, cumulative (累计)"),
        )

    class Qualifier(models.TextChoices):
        EXACT = "exact", gettext_lazy("exactly")
        MORE_THAN = "more_than", gettext_lazy("more than (余/超过)")
        NEARLY = "nearly", gettext_lazy("nearly (近)")
        AT_MOST = "at_most", gettext_lazy("within (以内)")
        CUMULATIVE = "cumulative", gettext_lazy("cumulative (累计)")

    class Document(models.TextChoices):
        ANNUAL_REPORT_2025 = "annual_report_2025", gettext_lazy("CNIPA annual report 2025")
        IP_POWER_INDEX_2025 = "ip_power_index_2025", gettext_lazy("IP-power index development report 2025")

    year = models.PositiveSmallIntegerField(gettext_lazy("year"))
    measure = models.CharField(gettext_lazy("measure"), max_length=32, choices=Measure.choices)
    value = models.DecimalField(
        gettext_lazy("value"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0, message=gettext_lazy("must not be negative (you entered %(show_value)s)."))],
    )
    unit = models.CharField(
        gettext_lazy("unit"), max_length=10, help_text=gettext_lazy("家, 件, 次, 亿元, 周, 个月 … as printed")
    )
    qualifier = models.CharField(
        gettext_lazy("qualifier"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    printed = models.CharField(gettext_lazy("as printed"), max_length=40)
    document = models.CharField(gettext_lazy("document"), max_length=24, choices=Document.choices)
    source = models.TextField(gettext_lazy("source sentence"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("published total")
        verbose_name_plural = gettext_lazy("published totals")
        default_permissions = PERMISSIONS
        ordering = ["year", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["year", "measure"], name="protection_published_unique"),
            models.CheckConstraint(
                condition=models.Q(value__gte=0),
                name="protection_published_not_negative",
                violation_error_message=gettext_lazy("A published total must not be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_measure_display()}: {self.printed}"

    def save(self, *args, **kwargs):
        self.full_clean()
        super().save(*args, **kwargs)
