"""The public pages: the published summaries of a year in the report's order with its typical cases, a print view,
the whole year as DOCX or Markdown, search, and attachment downloads. Only approved summaries are ever shown here,
except that an attachment of an unpublished summary can be downloaded by those who may see the summary."""

from django import forms
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from core.names import name_of
from review.selectors import can_read
from statistics.models import Region
from statistics.reference_filters import region_field

from . import exports, search
from .models import SUMMARY_REGIONS, Attachment, WorkSummary

ATTACHMENT_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": exports.DOCX_CONTENT_TYPE,
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
}


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    year = forms.IntegerField(label=_("year"), required=False, min_value=1900, max_value=2999)
    # Any spelling of a region (``statistics.reference_filters``); the page offers the summary regions by code.
    region = region_field(label=_("region"), required=False, widget=forms.Select)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.filter(SUMMARY_REGIONS)
        self.fields["region"].widget.choices = [("", _("all"))] + [(r.code, name_of(r)) for r in regions]


def published_years():
    return (
        WorkSummary.objects.published()
        .values("year")
        .annotate(count=Count("pk"))
        .order_by("-year")
        .values_list("year", "count")
    )


def _year_context(year: int) -> dict:
    summaries, cases = exports.published_year(year)
    if not summaries and not cases:
        raise Http404(_("Nothing is published for %(year)s.") % {"year": year})
    by_region = {}
    for case in cases:
        by_region.setdefault(case.region_id, []).append(case)
    for summary in summaries:
        summary.cases = by_region.get(summary.region_id, [])
    attachments = Attachment.objects.filter(summary__in=summaries).order_by("uploaded_at", "pk")
    files = {}
    for attachment in attachments:
        files.setdefault(attachment.summary_id, []).append(attachment)
    for summary in summaries:
        summary.files = files.get(summary.pk, [])
    return {"year": year, "title": exports.title_for(year), "summaries": summaries, "cases": cases}


@require_safe
def index(request):
    return render(request, "localwork/index.html", {"years": published_years(), "form": SearchForm()})


@require_safe
def year_page(request, year):
    return render(request, "localwork/year.html", _year_context(year))


@require_safe
def print_view(request, year):
    return render(request, "localwork/print.html", _year_context(year))


@require_safe
def export_markdown(request, year):
    _year_context(year)  # 404 for a year with nothing published
    response = HttpResponse(exports.to_markdown(year), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="work-summaries-{year}.md"'
    return response


@require_safe
def export_docx(request, year):
    _year_context(year)
    response = HttpResponse(exports.to_docx(year), content_type=exports.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="work-summaries-{year}.docx"'
    return response


@require_safe
def search_page(request):
    form = SearchForm(request.GET or None)
    hits, searched = [], False
    if form.is_valid() and form.cleaned_data["q"].strip():
        searched = True
        data = form.cleaned_data
        hits = search.search(data["q"], year=data["year"], region=data["region"])
    status = 400 if form.is_bound and not form.is_valid() else 200  # the form says what is wrong
    return render(request, "localwork/search.html", {"form": form, "hits": hits, "searched": searched}, status=status)


@require_safe
def attachment_download(request, pk):
    """Anyone may download a published summary's attachment; otherwise only those who may see the summary."""
    attachment = get_object_or_404(Attachment.objects.select_related("summary__region"), pk=pk)
    summary = attachment.summary
    if not can_read(request.user, summary):
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=ATTACHMENT_CONTENT_TYPES[attachment.kind],
    )
    return response
