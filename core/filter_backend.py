"""django-filter's API backend without its per-request rebuilding of the filters and of the form class.

``DjangoFilterBackend`` builds each request's FilterSet anew: a deep copy of every declared filter, then a new form
class (``type(...)`` over freshly built form fields), then the form. For a 100-row figures page that was about a
fifth of an uncached request (issue 16, profile in ``docs/decisions.md``), and none of it depends on the request.

Here each FilterSet class gets, once, a subclass (``prepared``) that

* copies its filters shallowly (a filter is configuration; only ``model`` and ``parent`` are set per request),
  except a filter with a ``method``, which keeps django-filter's deep copy (its bound method points at the copy);
* builds its form class once per language (labels are translated when the form fields are made), whose forms share
  its fields (``SharedFields``) rather than deep-copying them.

A FilterSet with a filter whose choices depend on the request (``QuerySetRequestMixin``: model choices with a
callable queryset), or that overrides ``__init__``, ``get_form_class`` or ``form``, keeps django-filter's own path.
The form itself is still made and validated per request, so the answers — results, 400 messages, the browsable
API's filter form — are the same.
"""

import copy
import functools

from django.utils.translation import get_language
from django_filters.filters import QuerySetRequestMixin
from django_filters.filterset import BaseFilterSet
from django_filters.rest_framework import DjangoFilterBackend

OWN_STEPS = ("__init__", "get_form_class", "form")


class SharedFields(dict):
    """A prepared form class's fields: each form gets its own dict of them, not its own deep copy of every field.

    Django deep-copies a form's ``base_fields`` for each form, so that a form may change its fields. A filter form
    never does: it validates the query string (and the browsable API renders it), so the copies were pure cost —
    choice fields copy their choices."""

    def __deepcopy__(self, memo):
        return dict(self)


class _PreparedFilterSet:
    """Mixed in front of a FilterSet class by ``prepared``."""

    _form_classes: dict

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        base = self.base_filters
        self.base_filters = {}  # keeps django-filter's __init__ from deep-copying every filter
        try:
            super().__init__(data, queryset, request=request, prefix=prefix)
        finally:
            del self.base_filters
        model = self.queryset.model
        self.filters = {}
        for name, declared in base.items():
            filter_ = copy.copy(declared) if declared.method is None else copy.deepcopy(declared)
            filter_.model = model
            filter_.parent = self
            self.filters[name] = filter_

    def get_form_class(self):
        language = get_language()
        form_class = self._form_classes.get(language)
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = SharedFields(form_class.base_fields)
            self._form_classes[language] = form_class
        return form_class


@functools.cache
def prepared(filterset_class):
    """``filterset_class`` with the shared filters and form class, or itself when a filter depends on the request."""
    if any(isinstance(declared, QuerySetRequestMixin) for declared in filterset_class.base_filters.values()):
        return filterset_class
    if any(getattr(filterset_class, name) is not getattr(BaseFilterSet, name) for name in OWN_STEPS):
        return filterset_class  # a FilterSet that builds its filters or form itself keeps its own way
    return type(
        filterset_class.__name__,
        (_PreparedFilterSet, filterset_class),
        {"__module__": filterset_class.__module__, "__doc__": filterset_class.__doc__, "_form_classes": {}},
    )


class FilterBackend(DjangoFilterBackend):
    """``DjangoFilterBackend`` with each FilterSet class prepared once (see the module's docstring)."""

    def get_filterset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return None
        return prepared(filterset_class)(**self.get_filterset_kwargs(request, queryset, view))
