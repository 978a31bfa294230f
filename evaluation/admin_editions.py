"""Admin of index editions: headquarters creates an edition, sets its method while it is a draft, computes it,
submits it, and another headquarters user approves (publishes) it — the review panel of ``review.admin``.

Every write is a service's (``edition_services``): creating (default method, fitted weights), changing the method
(only a draft, version-checked), computing (the "Compute" button), and starting a new edition from a published one
(the "New edition from this one" button). Imported by ``evaluation/admin.py``.
"""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _

from review import services as review
from review.admin import ReviewableAdminMixin

from . import edition_services, tasks
from .models import Edition
from .models.editions import METHOD_FIELDS

EDITABLE = ("title", "notes", "embargo_until", *METHOD_FIELDS)


@admin.register(Edition)
class EditionAdmin(ReviewableAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "year", "number", "state", "uses_demo_data", "computed_at", "published_at")
    list_filter = ("year", "uses_demo_data")
    change_form_template = "admin/evaluation/edition/change_form.html"
    readonly_fields = ("number", "previous", "computed_at", "computed_by", "uses_demo_data", "published_at")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["year", "title", "expected_version"]
        return ["year", *self.readonly_fields, *EDITABLE, "expected_version"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields + (("year",) if obj is not None else ())

    def save_model(self, request, obj, form, change):
        if change:
            fields = {name: form.cleaned_data[name] for name in form.changed_data if name in EDITABLE}
            version = form.cleaned_data.get("expected_version")
            saved = edition_services.update_method(obj, request.user, version, **fields)
            # The form's object takes the new version, so that "Save and submit" submits the version just saved.
            for name, value in review.review_fields(saved).items():
                setattr(obj, name, value)
            return
        created = edition_services.create_edition(request.user, obj.year, title=obj.title)
        obj.pk = created.pk
        obj._state.adding = False

    def get_urls(self):
        return [
            path("<int:object_id>/compute/", self.admin_site.admin_view(self.compute_view), name="evaluation_compute"),
            path("<int:object_id>/renew/", self.admin_site.admin_view(self.renew_view), name="evaluation_renew"),
            *super().get_urls(),
        ]

    def _back(self, pk):
        return HttpResponseRedirect(reverse("admin:evaluation_edition_change", args=[pk]))

    def compute_view(self, request, object_id):
        """POST: compute the edition (regional index, Monte Carlo, national index) with its current method."""
        edition = get_object_or_404(self.get_queryset(request), pk=object_id)
        if request.method != "POST":
            return self._back(edition.pk)
        try:
            tasks.queue_computation(edition, request.user, request.POST.get("version"))
        except review.WorkflowError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
        else:
            edition.refresh_from_db()
            if edition.computed_at is not None and edition.version > int(request.POST.get("version")):
                message = _("Edition %(edition)s computed.")
            else:
                message = _("Edition %(edition)s is being computed by a background worker; reload the page to see it.")
            self.message_user(request, message % {"edition": edition}, messages.SUCCESS)
        return self._back(edition.pk)

    def renew_view(self, request, object_id):
        """POST: a new draft edition of the same year that starts from this one's method."""
        edition = get_object_or_404(self.get_queryset(request), pk=object_id)
        if request.method != "POST":
            return self._back(edition.pk)
        try:
            created = edition_services.new_edition(edition, request.user)
        except review.WorkflowError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return self._back(edition.pk)
        self.message_user(request, _("Edition %(edition)s started.") % {"edition": created}, messages.SUCCESS)
        return self._back(created.pk)


__all__ = ["METHOD_FIELDS", "EditionAdmin"]
