"""The names and descriptions the browsable API and ``OPTIONS`` answers show, in the reader's language.

DRF names a view after its class (``RegionPatentFigureViewSet`` → "Region Patent Figure List") and describes it with
the class's docstring: English on a Chinese page. A view of a model is named after the model's translated
``verbose_name`` (its plural for a list); an extra action (submit, approve, …) adds its translated label; the API
root has a name of its own; a view with no ``queryset`` attribute names its ``listed_model``, and a view that lists
no one model's rows (a search) gives its ``title``.
The docstrings are for developers: they are shown in English only.
"""

from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from rest_framework.views import get_view_description

# Extra actions' names as DRF makes them from the method's name (``return_`` → "Return "), translated.
ACTION_NAMES = {
    "Submit": gettext_lazy("Submit"),
    "Approve": gettext_lazy("Approve"),
    "Return": gettext_lazy("Return"),
    "Reopen": gettext_lazy("Reopen"),
    "Withdraw": gettext_lazy("Withdraw"),
    "Attachments": gettext_lazy("Attachments"),
}


def _model(view):
    if getattr(view, "listed_model", None) is not None:  # a view with ``get_queryset`` only names its model here
        return view.listed_model
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(view, "serializer_class", None)
    return getattr(getattr(serializer, "Meta", None), "model", None)


def view_name(view) -> str:
    """``REST_FRAMEWORK["VIEW_NAME_FUNCTION"]``."""
    model = _model(view)
    name = getattr(view, "name", None)
    if model is None and getattr(view, "title", None):  # a view of no one model names itself
        return str(capfirst(view.title))
    if model is None:
        return _("API root") if type(view).__name__.endswith("RootView") else str(name or _("API"))
    if name is not None:  # an extra action
        label = ACTION_NAMES.get(name.strip(), name.strip())
        return f"{capfirst(model._meta.verbose_name)} · {label}"
    opts = model._meta
    return str(capfirst(opts.verbose_name_plural if getattr(view, "suffix", None) == "List" else opts.verbose_name))


def view_description(view, html=False) -> str:
    """``REST_FRAMEWORK["VIEW_DESCRIPTION_FUNCTION"]``: the docstring in English, nothing in another language."""
    if not (get_language() or "").startswith("en"):
        return ""
    return get_view_description(view, html=html)
