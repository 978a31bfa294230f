"""Admin change forms of records without a version refuse to save over a change made since they were opened.

Records with a version column (returns, summaries, registry changes: ``review.admin.VersionedForm``) and the
appendix figures (``statistics.figure_forms``) check their own version. The other records an administrator edits in
the admin (regions, countries, indicators, national series, registry entries, reporting periods, index frameworks,
users …) had nothing: of two people editing the same record, the second to save silently put back every field the
first had changed. ``StaleEditGuard`` gives their change forms a hidden fingerprint of the stored record (every
concrete column and many-to-many link, as ``statistics.services.figure_version`` does for a figure) taken when the
form is opened, and compares it with the stored record, locked, when the form is saved; a form that differs, or
that comes without the fingerprint, saves nothing and says why.
"""

import hashlib

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.db import router, transaction
from django.db.models.fields.files import FieldFile
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FIELD = "loaded_state"
OWN_VERSION_FIELDS = frozenset({"version", "expected_version"})


def _columns(model, exclude) -> list:
    return [field for field in model._meta.concrete_fields if field.name not in exclude]


def _plain(value):
    return value.name if isinstance(value, FieldFile) else value  # a file as its stored name, as a query reads it


def _digest(model, values, pk, exclude) -> str:
    parts = [model._meta.label, [_plain(value) for value in values]]
    for field in model._meta.many_to_many:
        if field.name not in exclude:
            links = field.remote_field.through._default_manager.filter(**{field.m2m_field_name(): pk})
            parts.append((field.name, sorted(links.values_list(field.m2m_reverse_name(), flat=True))))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def fingerprint(model, pk, exclude=(), lock: bool = False) -> str | None:
    """A fingerprint of the stored record ``pk`` of ``model``; None when there is no such record.

    ``lock`` holds the row, and only it (no ordering join, ``of=self``), until the transaction ends (inside the
    admin's transaction, for the save)."""
    alias = router.db_for_write(model)
    rows = model._default_manager.using(alias).filter(pk=pk).order_by()
    if lock and transaction.get_connection(alias).in_atomic_block:
        rows = rows.select_for_update(of=("self",))
    stored = rows.values_list(*(field.attname for field in _columns(model, exclude))).first()
    return None if stored is None else _digest(model, stored, pk, exclude)


def fingerprint_of(instance, exclude=()) -> str:
    """The fingerprint of ``instance`` as it was read (the values its form shows), as ``fingerprint`` gives it."""
    model = type(instance)
    values = [getattr(instance, field.attname) for field in _columns(model, exclude)]
    return _digest(model, values, instance.pk, exclude)


def stale_refusal(instance, loaded: str | None, exclude=(), label=str) -> str | None:
    """Why a form opened at fingerprint ``loaded`` may not save ``instance``, or None. ``label`` names the record
    in the message (its ``str``, unless the admin shows it by another name)."""
    current = fingerprint(type(instance), instance.pk, exclude, lock=True)
    record = _("%(type)s “%(name)s”") % {"type": capfirst(instance._meta.verbose_name), "name": label(instance)}
    if current is None:
        return _("%(record)s was deleted after you opened it; nothing was saved.") % {"record": record}
    if loaded != current:
        return _(
            "%(record)s was changed by someone else after you opened it. Nothing of yours was saved: open the record "
            "again from the list to see the change, then make yours again."
        ) % {"record": record}
    return None


def guarded(form_class, exclude=(), label=str):
    """``form_class`` with the hidden fingerprint and its check (unless it checks a version of its own)."""
    if OWN_VERSION_FIELDS & set(form_class.base_fields) or FIELD in form_class.base_fields:
        return form_class

    class Guarded(form_class):
        loaded_state = forms.CharField(label=gettext_lazy("record as opened"), widget=forms.HiddenInput, required=False)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.instance.pk is not None and not self.instance._state.adding:
                # from the values the form shows: a save committed after they were read makes this form stale
                self.fields[FIELD].initial = fingerprint_of(self.instance, exclude)

        def clean(self):
            cleaned = super().clean()
            if self.instance.pk is not None and not self.instance._state.adding:
                refusal = stale_refusal(self.instance, cleaned.get(FIELD) or None, exclude, label)
                if refusal:
                    raise forms.ValidationError(refusal)
            return cleaned

    Guarded.__name__ = Guarded.__qualname__ = form_class.__name__
    return Guarded


class StaleEditGuard:
    """ModelAdmin mixin: the change form carries the record's fingerprint (``guarded``) and shows it whatever the
    admin's fieldsets. ``stale_exclude`` names fields whose changes do not make a form stale (``last_login``);
    ``stale_label`` names a record in the refusal, where the admin shows it by another name than its ``str``."""

    stale_exclude: tuple[str, ...] = ()

    def stale_label(self, obj) -> str:
        return str(obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if "fields" not in kwargs:  # Django's default, without the fingerprint, which is the form's own field
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"]:
            kwargs["fields"] = [name for name in kwargs["fields"] if name != FIELD]
        return guarded(super().get_form(request, obj, change=change, **kwargs), self.stale_exclude, self.stale_label)

    def get_fields(self, request, obj=None):
        return [name for name in super().get_fields(request, obj) if name != FIELD]

    def get_fieldsets(self, request, obj=None):
        """The admin's fieldsets, and the hidden fingerprint on a change form the user may save (a view-only page
        would show it as a read-only field)."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or FIELD in flatten_fieldsets(fieldsets) or not self.has_change_permission(request, obj):
            return fieldsets
        if FIELD not in self.get_form(request, obj, change=True, fields=None).base_fields:
            return fieldsets  # the form checks a version of its own
        return [*fieldsets, (None, {"fields": [FIELD], "classes": ["hidden"]})]
