"""Admin history pages that only show: the list of versions and each past version, never a form that saves.

django-simple-history's own ``history_form_view`` checks nothing but *view* permission and then saves whatever is
POSTed, bypassing the owning app's service (rules, workflow, region scope, version); its ``history_view`` falls back
to the last historical version of a record the user's queryset hides, so an officer could read another region's
values. ``ReadOnlyHistoryAdmin`` closes both:

- every method but GET and HEAD on a history page is refused with 405 and a translated message, before anything
  is looked up, so no history page can write, for anybody;
- a record is shown only when the admin's own ``get_queryset`` holds it and ``has_view_permission(request, obj)``
  allows it; a deleted record's history only when ``has_view_permission`` allows its last version (admins whose
  queryset is scoped must scope ``has_view_permission(obj)`` the same way, as Django's admin expects anyway);
- a past version is shown read-only (its stored fields, no inputs, no revert button).

Reverting is not offered (``SIMPLE_HISTORY_REVERT_DISABLED``): a revert is an edit, and edits go through each app's
service with its permission, region, workflow and version checks, on the record's own page.
"""

from django import forms
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

READ_METHODS = ("GET", "HEAD")


def refuse_history_write(request, model_admin):
    """405 with a page that says why: history pages show, records change on their own page."""
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("History is read-only"),
        "message": _(
            "The history shows past versions and changes nothing. To change %(thing)s, open it and save it on its "
            "own page, where its checks apply."
        )
        % {"thing": model_admin.opts.verbose_name},
        "opts": model_admin.opts,
    }
    response = TemplateResponse(request, "admin/history_read_only_refused.html", context, status=405)
    response["Allow"] = ", ".join(READ_METHODS)
    return response


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """``SimpleHistoryAdmin`` without its write path and with the admin's region scope on every history page."""

    object_history_form_template = "admin/history_read_only_form.html"

    def revert_disabled(self, request, obj=None):
        return True

    def has_change_history_permission(self, request, obj=None):
        return False

    # -- which record, and may the user see it -------------------------------------------------------------------

    def _history_pk(self, object_id):
        try:
            return self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError as error:
            raise Http404(_("No such record.")) from error

    def history_subject(self, request, object_id):
        """The record whose history is asked for, as the user may see it, or 404.

        A record that exists but lies outside the user's queryset is a 404, exactly as on its change page. A deleted
        record is judged by its last version.
        """
        pk = self._history_pk(object_id)
        obj = self.get_queryset(request).filter(pk=pk).first()
        if obj is None:
            if self.model._default_manager.filter(pk=pk).exists():
                raise Http404(_("No such record, or it is not yours to see."))
            history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
            last = history.filter(**{self.model._meta.pk.attname: pk}).order_by("-history_date").first()
            if last is None:
                raise Http404(_("No such record."))
            obj = last.instance
        if not self.has_view_permission(request, obj):
            raise Http404(_("No such record, or it is not yours to see."))
        return obj

    # -- the two history pages ------------------------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        if request.method not in READ_METHODS:
            return refuse_history_write(request, self)
        self.history_subject(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One past version, read-only. Never saves: no form fields, no submit button, POST refused."""
        if request.method not in READ_METHODS:
            return refuse_history_write(request, self)
        request.current_app = self.admin_site.name
        current = self.history_subject(request, object_id)
        history_model = getattr(self.model, self.model._meta.simple_history_manager_attribute).model
        if not str(version_id).isdigit():
            raise Http404(_("No such version."))
        record = get_object_or_404(history_model, **{self.model._meta.pk.attname: current.pk, "history_id": version_id})
        obj = record.instance
        obj._state.adding = False
        return TemplateResponse(
            request, self.object_history_form_template, self.history_form_context(request, obj, record, extra_context)
        )

    def history_stored_fields(self, request, obj) -> list[str]:
        """The stored fields a past version shows, in the order of the admin's form.

        Only model fields: a historical row holds them and nothing else (admin methods would describe the record
        as it is now; many-to-many relations are not versioned).
        """
        stored = {
            field.name
            for field in self.model._meta.get_fields()
            if getattr(field, "concrete", False) and not field.many_to_many and not field.auto_created
        }
        names = [name for name in flatten_fieldsets(self.get_fieldsets(request, obj)) if name in stored]
        names += [field.name for field in self.model._meta.fields if field.name in stored and field.name not in names]
        return names

    def history_form_context(self, request, obj, record, extra_context=None) -> dict:
        names = self.history_stored_fields(request, obj)
        form = forms.modelform_factory(self.model, fields=())(instance=obj)
        admin_form = helpers.AdminForm(form, [(None, {"fields": names})], {}, names, model_admin=self)
        opts = self.model._meta
        info = self.admin_site.name, opts.app_label, opts.model_name
        context = {
            **self.admin_site.each_context(request),
            "title": _("%(thing)s as of %(date)s") % {"thing": obj, "date": record.history_date},
            "adminform": admin_form,
            "object_id": obj.pk,
            "original": obj,
            "is_popup": False,
            "media": self.media + admin_form.media,
            "errors": helpers.AdminErrorList(form, []),
            "app_label": opts.app_label,
            "original_opts": opts,
            "opts": opts,
            "changelist_url": reverse("%s:%s_%s_changelist" % info),
            "change_url": reverse("%s:%s_%s_change" % info, args=(obj.pk,)),
            "history_url": reverse("%s:%s_%s_history" % info, args=(obj.pk,)),
            "history_record": record,
            "change_history": False,
            "revert_disabled": True,
            "add": False,
            "change": True,
            "has_add_permission": False,
            "has_view_permission": True,
            "has_change_permission": False,
            "has_delete_permission": False,
            "has_editable_inline_admin_formsets": False,
            "has_file_field": False,
            "has_absolute_url": False,
            "form_url": "",
            "save_as": False,
            "save_on_top": False,
            "show_save": False,
            "inline_admin_formsets": [],
        }
        context.update(extra_context or {})
        return context
