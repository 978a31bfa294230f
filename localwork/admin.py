"""Admin screens: work summaries (the officer writes, headquarters reviews through ``review``'s panel) with their
attachments, and the typical cases (administrators maintain them, with import and export).

The history of a summary shows, for the narrative and the key measures, only what changed between two versions
(deleted text struck through, inserted text underlined), instead of two 1,500-character paragraphs side by side.
"""

from difflib import SequenceMatcher

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.template_utils import HistoricalRecordContextHelper

from core.admin_tools import RecordsAdmin
from review import services as review
from review.admin import ReviewableAdminMixin

from . import services
from .models import Attachment, TypicalCase, WorkSummary
from .resources import TypicalCaseResource, WorkSummaryResource
from .services import AttachmentRefused, check_attachment

DIFF_CONTEXT = 24  # characters of unchanged text kept on each side of a change


def _context(text: str, first: bool, last: bool) -> str:
    """Unchanged text between two changes, shortened in the middle."""
    if len(text) <= DIFF_CONTEXT * 2:
        return escape(text)
    head = "" if first else text[:DIFF_CONTEXT]
    tail = "" if last else text[-DIFF_CONTEXT:]
    return escape(head) + " … " + escape(tail)


def text_diff(old: str, new: str) -> tuple[str, str]:
    """Safe HTML of ``old`` with its deletions in ``<del>`` and of ``new`` with its insertions in ``<ins>``."""
    old, new = old or "", new or ""
    opcodes = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    old_parts, new_parts = [], []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            context = _context(old[i1:i2], index == 0, index == len(opcodes) - 1)
            old_parts.append(context)
            new_parts.append(context)
            continue
        if i2 > i1:
            old_parts.append(f"<del>{escape(old[i1:i2])}</del>")
        if j2 > j1:
            new_parts.append(f"<ins>{escape(new[j1:j2])}</ins>")
    return mark_safe("".join(old_parts)), mark_safe("".join(new_parts))


class TextDiffContextHelper(HistoricalRecordContextHelper):
    text_fields = ("narrative", "key_measures")

    def stringify_delta_change_values(self, change, old, new):
        if change.field in self.text_fields:
            return text_diff(str(old or ""), str(new or ""))
        return super().stringify_delta_change_values(change, old, new)


class AttachmentForm(forms.ModelForm):
    """Shows a refused upload's reason on its row before anything is saved; the attachment itself is written by
    ``services.add_attachment_with_edit`` (``WorkSummaryAdmin.save_formset``), which checks it again."""

    class Meta:
        model = Attachment
        fields = ["file"]
        # A plain file input: the default widget links to MEDIA_URL, which is not served (downloads go through
        # ``localwork:attachment``, which checks who may see the summary).
        widgets = {"file": forms.FileInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # a stored file is removed and another added, never replaced in place
            self.fields["file"].disabled = True

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            try:
                check_attachment(upload)
            except AttachmentRefused as refused:
                raise ValidationError(refused.messages) from refused
        return upload


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentForm
    extra = 0
    fields = ["download", "file", "kind", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["download", "kind", "size", "uploaded_by", "uploaded_at"]

    @admin.display(description=_("file name"))
    def download(self, attachment):
        if attachment is None or not attachment.pk:
            return "—"
        url = reverse("localwork:attachment", args=[attachment.pk])
        return format_html('<a href="{}">{}</a>', url, attachment.name)

    def _editable(self, request, obj):
        return obj is None or review.can_edit(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(request, obj)


@admin.register(WorkSummary)
class WorkSummaryAdmin(ReviewableAdminMixin, RecordsAdmin):
    resource_classes = [WorkSummaryResource]
    inlines = [AttachmentInline]
    list_display = ["region", "year", "state", "origin", "version", "modified_at", "modified_by"]
    list_filter = ["year", ("region", admin.RelatedOnlyFieldListFilter), "origin"]
    list_select_related = ["region", "modified_by"]
    search_fields = ["region__name_zh", "region__full_name_zh", "narrative"]
    fields = ["region", "year", "narrative", "key_measures", "narrative_preview", "origin"]
    readonly_fields = ["narrative_preview", "origin"]
    ordering = ["-year", "region__display_order"]

    def get_readonly_fields(self, request, obj=None):
        """Region and year say which summary this is; they do not change once it exists."""
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "region", "year"] if obj is not None else fields

    def has_import_permission(self, request):
        """Summaries come in through the officer's form and the review workflow, never as a spreadsheet that would
        skip both; the export is there for reading."""
        return False

    @admin.display(description=_("as published"))
    def narrative_preview(self, obj):
        if obj is None or not obj.narrative:
            return "—"
        return format_html('<div class="narrative-preview">{}</div>', obj.narrative_html)

    def save_formset(self, request, form, formset, change):
        """New attachments through ``services.add_attachment_with_edit`` (this save already guarded the summary's
        version); removals of existing rows through the formset, as the inline's permissions (``review.can_edit``)
        allow."""
        if formset.model is not Attachment:
            return super().save_formset(request, form, formset, change)
        formset.save_existing_objects()  # removals only: a stored file cannot be replaced (``AttachmentForm``)
        formset.new_objects = [
            services.add_attachment_with_edit(form.instance, attachment_form.cleaned_data["file"], request.user)
            for attachment_form in formset.extra_forms
            if attachment_form.has_changed()
            and attachment_form.cleaned_data.get("file")
            and not attachment_form.cleaned_data.get("DELETE")
        ]

    def get_historical_record_context_helper(self, request, historical_record):
        return TextDiffContextHelper(self.model, historical_record)


@admin.register(TypicalCase)
class TypicalCaseAdmin(RecordsAdmin):
    resource_classes = [TypicalCaseResource]
    list_display = ["batch", "number", "title", "region", "year"]
    list_filter = ["year", "batch", ("region", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["region"]
    search_fields = ["title"]
    ordering = ["-year", "batch", "number"]
