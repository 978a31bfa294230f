"""Officers' changes to the registry, reviewed through the one workflow of ``review/``.

A ``RegistryChange`` holds the proposed field values of one entry (a new one when ``target_id`` is empty). It is a
``Reviewable``: the officer drafts and submits it, a reviewer returns it with a reason or approves it, and only the
approval writes the values into the entry (``on_transition``). Until then the entries, and so the public pages, the
API, the counts and the annual returns, keep the last approved version.

The values are checked by building the entry they would produce and running that entry's own ``full_clean()``: the
same rules, with the same field-level messages, as a direct save.
"""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from review.models import Action, Reviewable
from review.services import Invalid, last_submitter
from statistics.models import Region

# The models officers may change, by model name; each with the fields a change may set.
CHANGEABLE = {
    "centre": (
        "name",
        "name_incomplete",
        "kind",
        "level",
        "region",
        "city",
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
    ),
    "platform": (
        "name",
        "kind",
        "region",
        "city",
        "host_country",
        "industry",
        "status",
        "established_year",
        "closed_year",
        "note",
        "source",
    ),
    "workstation": (
        "name",
        "kind",
        "region",
        "host_country",
        "parent_platform",
        "status",
        "established_year",
        "closed_year",
        "note",
        "source",
    ),
    "centrefigures": ("centre", "year", "cases_accepted", "pre_examination_requests", "average_handling_days"),
    "platformfigures": ("platform", "year", "guidance_services", "losses_recovered"),
    "provincialcount": (
        "region",
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
    ),
}


class RegistryChange(Reviewable):
    """One officer's proposed change to one registry entry (or a new entry), waiting for review."""

    class Target(models.TextChoices):
        CENTRE = "centre", gettext_lazy("protection centre")
        PLATFORM = "platform", gettext_lazy("overseas dispute-response platform")
        WORKSTATION = "workstation", gettext_lazy("overseas workstation")
        CENTRE_FIGURES = "centrefigures", gettext_lazy("centre yearly figures")
        PLATFORM_FIGURES = "platformfigures", gettext_lazy("platform yearly figures")
        PROVINCIAL_COUNT = "provincialcount", gettext_lazy("provincial count")

    target_type = models.CharField(gettext_lazy("what"), max_length=16, choices=Target.choices)
    target_id = models.PositiveBigIntegerField(
        gettext_lazy("entry"), null=True, blank=True, help_text=gettext_lazy("empty for a new entry")
    )
    region = models.ForeignKey(
        Region,
        verbose_name=gettext_lazy("region"),
        on_delete=models.PROTECT,
        related_name="protection_changes",
        limit_choices_to={"level": Region.Level.PROVINCE},
    )
    values = models.JSONField(
        gettext_lazy("proposed values"),
        default=dict,
        blank=True,
        help_text=gettext_lazy("field name → new value; related entries by their id"),
    )
    explanation = models.TextField(gettext_lazy("explanation"), blank=True)
    base_history_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    applied_at = models.DateTimeField(gettext_lazy("applied at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("registry change")
        verbose_name_plural = gettext_lazy("registry changes")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        what = self.get_target_type_display()
        if self.target_id:
            return _("change #%(pk)s to %(what)s #%(id)s") % {"pk": self.pk or "—", "what": what, "id": self.target_id}
        return _("change #%(pk)s: new %(what)s") % {"pk": self.pk or "—", "what": what}

    # -- the entry ------------------------------------------------------------------------------------------------

    @property
    def entry_model(self):
        return apps.get_model("protection", self.target_type)

    def target(self, for_update: bool = False):
        """The entry as approved now, or None for a new entry. Raises ValidationError when it no longer exists."""
        if not self.target_id:
            return None
        manager = self.entry_model._default_manager
        if for_update:
            manager = manager.select_for_update()
        try:
            return manager.get(pk=self.target_id)
        except self.entry_model.DoesNotExist:
            raise ValidationError(
                {
                    "target_id": _("There is no %(what)s #%(id)s.")
                    % {"what": self.get_target_type_display(), "id": self.target_id}
                }
            ) from None

    def latest_history_id(self, entry=None):
        entry = entry if entry is not None else self.target()
        if entry is None:
            return None
        record = entry.history.order_by("-history_id").values_list("history_id", flat=True).first()
        return record

    def build(self, entry=None):
        """The entry these values would produce (unsaved), and the problems met while reading the values."""
        model = self.entry_model
        entry = entry if entry is not None else (self.target() or model())
        problems: dict[str, list[str]] = {}
        if not isinstance(self.values, dict):
            return entry, {"values": [_("The proposed values must be an object of field names and values.")]}
        allowed = CHANGEABLE[self.target_type]
        for name, value in self.values.items():
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
            if field is None or name not in allowed:
                problems.setdefault(name, []).append(
                    _("“%(field)s” is not a field a change may set; allowed: %(allowed)s.")
                    % {"field": name, "allowed": ", ".join(allowed)}
                )
                continue
            try:
                if field.is_relation:
                    setattr(entry, field.attname, self._related_pk(field, value))
                else:
                    setattr(entry, field.attname, self._plain(field, value))
            except ValidationError as error:
                problems.setdefault(name, []).extend(error.messages)
        return entry, problems

    @staticmethod
    def _plain(field, value):
        if value in (None, "") and field.null:
            return None
        if value is None and not field.null:
            return "" if isinstance(field, (models.CharField, models.TextField)) else value
        return field.to_python(value)

    @staticmethod
    def _related_pk(field, value):
        if value in (None, ""):
            return None
        pk = field.target_field.to_python(value)
        if not field.related_model._default_manager.filter(pk=pk).exists():
            raise ValidationError(
                _("There is no %(model)s #%(id)s.") % {"model": field.related_model._meta.verbose_name, "id": value}
            )
        return pk

    def problems(self) -> dict[str, list[str]]:
        """Every problem of the proposed values, keyed by the entry's field names: what a direct save would say."""
        try:
            current = self.target()
        except ValidationError as error:
            return error.message_dict
        entry, problems = self.build(current)
        if current is None and not self.values:
            problems.setdefault("values", []).append(_("A new entry needs its values."))
        try:
            entry.full_clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                problems.setdefault(field, []).extend(m for m in messages if m not in problems.get(field, []))
        region = self.region_of(entry)
        if current is not None and region is not None and self.region_of(current) != region:
            problems.setdefault("region", []).append(
                _("An entry of %(old)s cannot be moved to %(new)s by a change request.")
                % {"old": self.region_of(current), "new": region}
            )
        return problems

    @staticmethod
    def region_of(entry):
        try:
            return entry.region
        except (AttributeError, models.ObjectDoesNotExist):
            return None

    def labelled_problems(self) -> list[str]:
        """The problems as sentences that name the field, for lists and the review panel."""
        model = self.entry_model
        lines = []
        for name, messages in self.problems().items():
            try:
                label = str(model._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:
                label = name
            lines += [f"{label}: {message}" for message in messages]
        return lines

    # -- the review workflow --------------------------------------------------------------------------------------

    def clean(self):
        if self.target_type not in CHANGEABLE:
            raise ValidationError({"target_type": _("Choose what to change.")})
        problems = self.labelled_problems()
        if problems:
            raise ValidationError({"values": problems})
        entry, _problems = self.build()
        region = self.region_of(entry)
        if region is not None:
            self.region = region

    def submission_problems(self) -> list[str]:
        """What stops submission now: the values' problems, and an entry changed since the change was proposed."""
        problems = self.labelled_problems()
        if self.is_stale():
            problems.append(self.stale_message())
        return problems

    def is_stale(self, entry=None) -> bool:
        """Has the entry been changed since these values were proposed against it (``rebase``)?"""
        return bool(self.target_id and self.base_history_id and self.latest_history_id(entry) != self.base_history_id)

    def stale_message(self) -> str:
        return _(
            "%(thing)s was changed by someone else after this change was proposed. Open the change, check the values "
            "against the entry as it is now, and save it again."
        ) % {"thing": self.get_target_type_display()}

    def rebase(self) -> None:
        """Record the entry's current version as the one these values were proposed against."""
        self.base_history_id = self.latest_history_id() if self.target_id else None

    def on_transition(self, event) -> None:
        if event.action == Action.APPROVE:
            self.apply(event)

    @transaction.atomic
    def apply(self, event):
        """Write the values into the entry (creating it for a new entry), recorded in the entry's history."""
        current = self.target(for_update=True)
        if current is not None and self.is_stale(current):
            raise Invalid(self.stale_message())
        entry, problems = self.build(current)
        if problems:
            raise Invalid(self.labelled_problems())
        try:
            entry.full_clean()
        except ValidationError as error:
            raise Invalid(self.labelled_problems() or error.messages) from error
        entry._history_user = last_submitter(self) or event.actor
        entry._change_reason = (
            _("change #%(pk)s approved by %(reviewer)s") % {"pk": self.pk, "reviewer": event.actor}
        )[:100]
        entry.save()
        # Set on this record too: the transition hands it back (``event.target``) as the stored record.
        self.target_id, self.applied_at = entry.pk, timezone.now()
        self.base_history_id = self.latest_history_id(entry)
        type(self)._default_manager.filter(pk=self.pk).update(
            target_id=self.target_id, applied_at=self.applied_at, base_history_id=self.base_history_id
        )
