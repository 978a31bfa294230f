"""The write-path inventory sends each method a view can tell apart (``tests/write_methods.py``): the reading of the
code that decides it finds what it must, and the plan it gives falls back to every method when it does."""

import pytest
from django.contrib import admin
from django.views.generic import RedirectView

from statistics.models import Region

from . import write_methods
from .test_write_paths import endpoints, model_admin_of
from .write_methods import WRITE_METHODS, hands_on_to_class_views, methods_to_send, tells_apart


@pytest.mark.parametrize(
    "code",
    [
        'if request.method == "PATCH": pass',
        'if request.method in ("POST", "PUT"): pass',
        'if self.request.method != "DELETE": pass',
        'if request.META["REQUEST_METHOD"] == "PUT": pass',
        "handler = getattr(self, request.method.lower())",
    ],
)
def test_code_that_tells_put_patch_or_delete_apart_is_found(code):
    assert tells_apart(code)


@pytest.mark.parametrize(
    "code",
    [
        'if request.method == "POST": pass',
        'if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"): pass',
        'if request.method in ("DELETE", "POST", "PUT", "PATCH"): pass',  # all three alike
        'if form.cleaned_data.get("DELETE"): pass',  # a formset's deletion box, not the method
    ],
)
def test_code_that_treats_them_alike_is_not_flagged(code):
    assert not tells_apart(code)


def test_the_scan_reads_the_project_the_admin_and_the_middleware():
    scanned = {str(path) for path in write_methods.scanned_files()}
    for expected in ("returns/admin.py", "django/contrib/admin/options.py", "django/middleware/csrf.py", "axes/"):
        assert any(expected in path for path in scanned), expected


def test_an_admin_that_calls_a_class_based_view_gets_every_method():
    class Handing(admin.ModelAdmin):
        def history_view(self, request, object_id, extra_context=None):
            return RedirectView.as_view(url="/")(request)

    class Plain(admin.ModelAdmin):
        pass

    assert hands_on_to_class_views(Handing)
    assert not hands_on_to_class_views(Plain)


def _endpoint(name):
    return next(e for e in endpoints() if e.name == name and "format" not in e.route)


def test_the_plan_per_kind_of_view(monkeypatch):
    monkeypatch.setattr(write_methods, "methods_told_apart", lambda: ())
    change = _endpoint("admin:statistics_region_change")
    assert methods_to_send(change.callback, model_admin_of(change.callback)) == ("POST", "PUT")
    read_only = _endpoint("api:region-list")  # GET only: every write method gets the same 405
    assert len(methods_to_send(read_only.callback)) == 1
    summary = _endpoint("api:work-summary-detail")  # PUT, PATCH and DELETE each have a handler; POST has none
    assert set(methods_to_send(summary.callback)) == set(WRITE_METHODS)
    redirect = RedirectView.as_view(url="/")
    assert methods_to_send(redirect, admin.site._registry[Region]) == WRITE_METHODS


def test_every_method_is_sent_everywhere_once_any_code_tells_them_apart(monkeypatch):
    monkeypatch.setattr(write_methods, "methods_told_apart", lambda: ("somewhere.py:1: …",))
    for name in ("admin:statistics_region_change", "api:region-list", "api:work-summary-detail"):
        endpoint = _endpoint(name)
        assert methods_to_send(endpoint.callback, model_admin_of(endpoint.callback)) == WRITE_METHODS
