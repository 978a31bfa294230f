"""Public pages of the registry: the entries, the reconciliation with the published totals, the region × kind
summary. They read only the entries, so a pending change shows nowhere until a reviewer approves it."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import filtersets, models, services
from .models import Status


def _year(request, default: int) -> int:
    try:
        return int(request.GET.get("year", default))
    except ValueError:
        raise Http404(_("Enter a year such as 2025.")) from None


def reconciliation_view(request):
    """``?year=2024|2025&kind=centres|platforms``: registry count of operating entries, published total, gap."""
    year = _year(request, services.RECONCILED_YEARS[-1])
    kind = request.GET.get("kind") or "centres"
    if kind not in services.KINDS:
        raise Http404(_("Unknown kind."))
    context = {
        "result": services.reconciliation(year, kind),
        "year": year,
        "kind": kind,
        "kind_label": services.KINDS[kind],
        "years": services.RECONCILED_YEARS,
        "kinds": list(services.KINDS.items()),
    }
    return render(request, "protection/reconciliation.html", context)


def summary_view(request):
    """Named entries by region × kind, with the provinces' counts of unnamed ones (no map)."""
    status = request.GET.get("status") or None
    if status and status not in Status.values:
        raise Http404(_("Unknown status."))
    context = {"summary": services.summary(status), "status": status, "statuses": Status.choices}
    return render(request, "protection/summary.html", context)


REGISTERS = {
    "centres": (models.Centre, filtersets.CentreFilterSet, ("region", "city")),
    "platforms": (models.Platform, filtersets.PlatformFilterSet, ("region", "city", "host_country")),
    "workstations": (
        models.Workstation,
        filtersets.WorkstationFilterSet,
        ("region", "host_country", "parent_platform"),
    ),
}


def registry_view(request, register: str = "centres"):
    """One registry's entries, filtered with the same FilterSet as the API."""
    if register not in REGISTERS:
        raise Http404(_("Unknown registry."))
    model, filterset_class, related = REGISTERS[register]
    filterset = filterset_class(request.GET, queryset=model.objects.select_related(*related))
    context = {
        "register": register,
        "registers": [(key, value[0]._meta.verbose_name_plural) for key, value in REGISTERS.items()],
        "filterset": filterset,
        "entries": filterset.qs if filterset.is_valid() else model.objects.none(),
        "model_name": model._meta.verbose_name_plural,
    }
    # An unknown region or country is refused (400) with the filter's message, not shown as an empty registry.
    return render(request, "protection/registry.html", context, status=200 if filterset.is_valid() else 400)
