"""The write-path inventory (issue 11): every URL of the project, and what a write to it may do, for whom.

The inventory (``ADMIN_MODELS`` with ``ADMIN_URL_KINDS``, ``ADMIN_SITE_URLS``, ``API_URLS``, ``PAGE_URLS``) names
every URL pattern that ``django.urls.get_resolver()`` holds (admin, API router, pages, i18n and
the views libraries register: history, import/export, the browsable API, tokens), by URL name, or by route for the
few patterns without one. Each entry says who may write through it:

- ``READ``: the view shows and never writes, whatever the method and whoever asks;
- ``REFUSED``: a write there is refused for everybody (superusers included), and nothing changes;
- ``writes(role, …)``: only these roles may change anything through it, on the world's records (see
  ``write_world.py``: 北京's submitted 2025 return, its draft 2026 work summary and its draft registry change; the
  officer of 北京 is "officer_own", the officer of 广东 "officer_other"); every other role changes nothing.

``test_every_url_is_in_the_inventory`` fails when a URL exists that the inventory does not list, so a library or an
app that adds a view fails CI until someone decides what it may do. ``test_writes_change_nothing_they_may_not``
sends POST, PUT, PATCH and DELETE to every pattern (each of those the view can tell apart: ``write_methods.py``), as
every role the entry does not allow (``roles_to_try``), with
a body that would be a valid edit of the record (its own current values, its version, a review action; see
``test_the_attempts_are_real_edits``), and compares the database before and after (``write_world.fingerprint``),
not only the status. No request may answer with a server error.

Each app's own tests hold the detailed matrices (e.g. ``returns/tests/test_workflow.py``: role × region × state ×
action); this one guarantees that no door is missing from them.
"""

import copy
import json
import re
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.template.response import SimpleTemplateResponse
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.request import Request

from statistics.services import figure_version

from .write_methods import methods_to_send
from .write_world import (
    ROLES,
    YEAR,
    attempt,
    changed_tables,
    fingerprint,
    rows_written,
    target_for,
    world_in_transaction,
)


@dataclass(frozen=True)
class Writes:
    """Who may change something through a URL (an empty set: nobody)."""

    roles: frozenset
    note: str = ""

    def allows(self, role) -> bool:
        return role in self.roles


READ = Writes(frozenset(), "shows only")
REFUSED = Writes(frozenset(), "refused for everybody")


def writes(*roles, note=""):
    unknown = set(roles) - set(ROLES)
    assert not unknown, unknown
    return Writes(frozenset(roles), note)


ADMINS = ("administrator", "superuser")
HEADQUARTERS = ("reviewer", "administrator", "superuser")
OFFICERS = ("officer_own", "officer_other")
EVERYONE = ROLES
SIGNED_IN = tuple(role for role in ROLES if role != "anonymous")

# ---------------------------------------------------------------------------------------------------------------
# Admin screens: one line per registered model, one column per kind of admin URL.
# ---------------------------------------------------------------------------------------------------------------

# What each kind of admin URL is. Writes of the kinds in ``ADMIN_WRITING_KINDS`` are decided per model below.
ADMIN_URL_KINDS = {
    "changelist": READ,  # POST runs actions: the project's admins have no bulk delete and no writing action
    "history": REFUSED,  # core.history_admin: shows only, POST refused (Django's own object history only shows)
    "simple_history": REFUSED,  # core.history_admin: a past version, read-only, POST refused
    "export": READ,
    "import_template": READ,
    "template": READ,  # the return's spreadsheet template
    "progress": READ,
    "progress_json": READ,
}
ADMIN_WRITING_KINDS = ("add", "change", "delete", "import", "process_import", "review", "confirm", "password_change")


def admin_model(add=(), change=(), delete=(), imports=(), review=(), confirm=(), password_change=(), note=""):
    return {
        "add": writes(*add, note=note),
        "change": writes(*change, note=note),
        "delete": writes(*delete, note=note),
        "import": writes(*imports, note=note),
        "process_import": writes(*imports, note=note),
        "review": writes(*review, note=note),
        "confirm": writes(*confirm, note=note),
        "password_change": writes(*password_change, note=note),
    }


MAINTAINED_BY_ADMINISTRATORS = admin_model(add=ADMINS, change=ADMINS, delete=ADMINS, imports=ADMINS)
SUPERUSER_ONLY = admin_model(add=["superuser"], change=["superuser"], delete=["superuser"], note="auth/h2")
REGISTRY_ENTRY = admin_model(
    add=(*OFFICERS, *ADMINS),  # an officer's save becomes a draft change request of the own region
    change=("officer_own", *ADMINS),
    delete=ADMINS,
    imports=ADMINS,
)

ADMIN_MODELS = {
    "auth.group": SUPERUSER_ONLY,
    # Administrators make officers: they add and change users (not superusers) and assign regions on the user page
    # (review.assignment_admin, through review.assignment_services); deleting a user stays with superusers.
    "auth.user": {
        **admin_model(add=ADMINS, change=ADMINS, delete=["superuser"], password_change=ADMINS),
    },
    "review.regionassignment": admin_model(add=ADMINS, change=ADMINS, delete=ADMINS),
    "statistics.region": MAINTAINED_BY_ADMINISTRATORS,
    "statistics.country": MAINTAINED_BY_ADMINISTRATORS,
    "statistics.foreignroworder": MAINTAINED_BY_ADMINISTRATORS,
    "statistics.indicatorgroup": MAINTAINED_BY_ADMINISTRATORS,
    "statistics.indicator": MAINTAINED_BY_ADMINISTRATORS,
    "statistics.regionpatentfigure": MAINTAINED_BY_ADMINISTRATORS,
    "statistics.countrypatentfigure": MAINTAINED_BY_ADMINISTRATORS,
    "statistics.regiontrademarkfigure": MAINTAINED_BY_ADMINISTRATORS,
    "statistics.countrytrademarkfigure": MAINTAINED_BY_ADMINISTRATORS,
    "statistics.regioncountfigure": MAINTAINED_BY_ADMINISTRATORS,
    "statistics.countrycountfigure": MAINTAINED_BY_ADMINISTRATORS,
    # Append-only: nobody adds, changes or deletes a run by hand; confirming needs a preview of one's own.
    "statistics.importrun": admin_model(note="append-only; the world holds no preview to confirm"),
    # 北京's return is submitted: nobody edits its values; headquarters returns or approves it.
    # h5: its officer may also withdraw it (the sheet's and the review panel's "withdraw"), until a reviewer acts.
    "returns.annualreturn": admin_model(
        add=OFFICERS, change=(*HEADQUARTERS, "officer_own"), review=(*HEADQUARTERS, "officer_own")
    ),
    "returns.returnperiod": admin_model(add=ADMINS, change=ADMINS, delete=["superuser"]),
    "returns.indicatorvalue": admin_model(note="values change on the return's sheet only"),
    "protection.city": MAINTAINED_BY_ADMINISTRATORS,
    "protection.centre": REGISTRY_ENTRY,
    "protection.platform": REGISTRY_ENTRY,
    "protection.workstation": REGISTRY_ENTRY,
    "protection.centrefigures": REGISTRY_ENTRY,
    "protection.platformfigures": REGISTRY_ENTRY,
    "protection.provincialcount": REGISTRY_ENTRY,
    "protection.publishedtotal": MAINTAINED_BY_ADMINISTRATORS,
    # 北京's change request is a draft of its officer's.
    "protection.registrychange": admin_model(
        add=OFFICERS, change=["officer_own"], delete=["officer_own"], review=["officer_own"]
    ),
    # 北京's 2026 summary is a draft of its officer's; summaries are never imported.
    "localwork.worksummary": admin_model(
        add=OFFICERS, change=["officer_own"], delete=["officer_own"], review=["officer_own"]
    ),
    "localwork.typicalcase": MAINTAINED_BY_ADMINISTRATORS,
    # h2's authentication work (django-axes, API tokens): in flux, classified for the lead to confirm.
    "axes.accessattempt": SUPERUSER_ONLY,
    "axes.accesslog": SUPERUSER_ONLY,
    "axes.accessfailurelog": SUPERUSER_ONLY,
    "core.apitoken": admin_model(delete=SIGNED_IN, note="h2: a user revokes the own tokens"),
    # A library's admin (django-tasks-db's task results): no role has its permissions.
    "django_tasks_database.dbtaskresult": SUPERUSER_ONLY,
    # The national figures and chapter tables: administrators' reference data, under the table rules.
    "statistics.chapterfigure": MAINTAINED_BY_ADMINISTRATORS,
    "statistics.nationalseries": MAINTAINED_BY_ADMINISTRATORS,
    "statistics.nationalfigure": MAINTAINED_BY_ADMINISTRATORS,
    # Prepared by headquarters, approved by another headquarters user (review_owner = HEADQUARTERS); the world
    # holds none, so every attempt on an object finds nothing to change.
    "statistics.nationalreturn": admin_model(add=HEADQUARTERS, change=HEADQUARTERS, delete=ADMINS, review=HEADQUARTERS),
    "evaluation.edition": admin_model(add=HEADQUARTERS, change=HEADQUARTERS, delete=ADMINS, review=HEADQUARTERS),
    # The index frameworks and memberships: administrators complete and correct them; the published results are the
    # report's own figures, read-only for everybody.
    "evaluation.frameworkgroup": admin_model(add=["superuser"], change=ADMINS, delete=["superuser"], imports=ADMINS),
    "evaluation.frameworkindicator": admin_model(
        add=["superuser"], change=ADMINS, delete=["superuser"], imports=ADMINS
    ),
    "evaluation.scope": admin_model(add=["superuser"], change=ADMINS, delete=["superuser"], imports=ADMINS),
    "evaluation.membership": admin_model(add=["superuser"], change=ADMINS, delete=["superuser"], imports=ADMINS),
    "evaluation.publishedresult": admin_model(note="the report's printed results: export and history only"),
}

# Views a ModelAdmin adds under a name of its own (not ``<app>_<model>_<kind>``): listed by URL name.
ADMIN_CUSTOM_URLS = {
    "admin:protection_summary": READ,  # protection's region × kind summary
    # An edition's computation and a new edition from it: headquarters, through evaluation.edition_services.
    "admin:evaluation_compute": writes(*HEADQUARTERS),
    "admin:evaluation_renew": writes(*HEADQUARTERS),
    # The return sheet's JSON endpoints (returns.sheet_api, h6). Autosave saves a draft through
    # returns.services.save_values: the world's return is submitted, so nobody may (drafts: the region's officer,
    # returns/tests/test_sheet_endpoints.py). The checks while typing and a value's history write nothing.
    "admin:returns_annualreturn_autosave": REFUSED,
    "admin:returns_annualreturn_check": READ,
    "admin:returns_annualreturn_value_history": READ,
}

ADMIN_SITE_URLS = {
    "admin:index": READ,
    "admin:login": writes(*EVERYONE, note="django-axes records login attempts"),
    "admin:logout": writes(*EVERYONE, note="ends the own session (and h2: the own tokens)"),
    "admin:password_change": writes(*SIGNED_IN, note="the own password"),
    "admin:password_change_done": READ,
    "admin:autocomplete": READ,
    "admin:jsi18n": READ,
    "admin:view_on_site": READ,
    "admin:app_list": READ,
    "route:admin/(?P<url>.*)$": READ,  # the admin's catch-all (redirects to a trailing slash or 404)
}

# ---------------------------------------------------------------------------------------------------------------
# The API (h4 owns the reviewable endpoints, h2 the tokens: both in flux while this was written).
# ---------------------------------------------------------------------------------------------------------------

READ_ONLY_API = [
    "region-list",
    "region-detail",
    "country-list",
    "country-detail",
    "region-patent-figure-list",
    "region-patent-figure-detail",
    "country-patent-figure-list",
    "country-patent-figure-detail",
    "region-trademark-figure-list",
    "region-trademark-figure-detail",
    "country-trademark-figure-list",
    "country-trademark-figure-detail",
    "region-count-figure-list",
    "region-count-figure-detail",
    "country-count-figure-list",
    "country-count-figure-detail",
    "indicator-group-list",
    "indicator-group-detail",
    "indicator-list",
    "indicator-detail",
    "import-run-list",
    "import-run-detail",
    "review-event-list",
    "review-event-detail",
    "indicator-value-list",
    "indicator-value-detail",
    "return-period-list",
    "return-period-detail",
    "value-comment-list",
    "value-comment-detail",
    "protection-city-list",
    "protection-city-detail",
    "protection-centre-list",
    "protection-centre-detail",
    "protection-platform-list",
    "protection-platform-detail",
    "protection-workstation-list",
    "protection-workstation-detail",
    "protection-centre-figures-list",
    "protection-centre-figures-detail",
    "protection-platform-figures-list",
    "protection-platform-figures-detail",
    "protection-provincial-count-list",
    "protection-provincial-count-detail",
    "protection-published-total-list",
    "protection-published-total-detail",
    "protection-reconciliation-list",
    "work-summary-search-list",
    "index-computed-average-list",
    "index-computed-average-detail",
    "index-edition-list",
    "index-edition-detail",
    "index-framework-group-list",
    "index-framework-group-detail",
    "index-framework-indicator-list",
    "index-framework-indicator-detail",
    "index-indicator-score-list",
    "index-indicator-score-detail",
    "index-membership-list",
    "index-membership-detail",
    "index-result-list",
    "index-result-detail",
    "index-score-list",
    "index-score-detail",
    "national-figure-list",
    "national-figure-detail",
    "api-root",
    "schema",
    "docs",
    "redoc",
]

API_URLS = {
    **{f"api:{name}": READ for name in READ_ONLY_API},
    # 北京's return is submitted: nobody edits it; headquarters returns or approves; officers create their own.
    "api:annual-return-list": writes(*OFFICERS),
    "api:annual-return-detail": REFUSED,
    "api:annual-return-submit": REFUSED,
    "api:annual-return-return-": writes(*HEADQUARTERS),
    "api:annual-return-approve": writes(*HEADQUARTERS),
    "api:annual-return-reopen": REFUSED,
    "api:annual-return-withdraw": writes("officer_own", note="h5: back to the state it was submitted from"),
    # 北京's change request and 2026 summary are drafts of its officer's.
    "api:protection-change-list": writes(*OFFICERS),
    "api:protection-change-detail": writes("officer_own"),
    "api:protection-change-submit": writes("officer_own"),
    "api:protection-change-return-": REFUSED,
    "api:protection-change-approve": REFUSED,
    "api:protection-change-reopen": REFUSED,
    "api:protection-change-withdraw": REFUSED,  # a draft: nothing to withdraw
    "api:work-summary-list": writes(*OFFICERS),
    "api:work-summary-detail": writes("officer_own"),
    "api:work-summary-submit": writes("officer_own"),
    "api:work-summary-attachments": writes("officer_own"),
    "api:work-summary-return-": REFUSED,
    "api:work-summary-approve": REFUSED,
    "api:work-summary-reopen": REFUSED,
    "api:work-summary-withdraw": REFUSED,  # a draft: nothing to withdraw
    # The national return: prepared by headquarters; the world holds none.
    "api:national-return-list": writes(*HEADQUARTERS),
    "api:national-return-detail": writes(*HEADQUARTERS),
    "api:national-return-submit": writes(*HEADQUARTERS),
    "api:national-return-return-": writes(*HEADQUARTERS),
    "api:national-return-approve": writes(*HEADQUARTERS),
    "api:national-return-reopen": writes(*ADMINS),
    "api:national-return-withdraw": writes(*HEADQUARTERS, note="h5: by its submitter"),
    # Officers' region assignments: administrators, through review.assignment_services.
    "api:region-assignment-list": writes(*ADMINS),
    "api:region-assignment-detail": writes(*ADMINS),
    "api:typical-case-list": writes(*ADMINS),
    "api:typical-case-detail": writes(*ADMINS),
    # Tokens (h2): anyone with a password gets one; each user lists and revokes the own.
    "api:token": writes(*EVERYONE, note="h2: a token for valid credentials; failed attempts are recorded"),
    "api:token-logout": writes(*SIGNED_IN, note="h2: ends the own token"),
    "api:token-logoutall": writes(*SIGNED_IN, note="h2: ends the own tokens"),
    "api:api-token-list": READ,
    "api:api-token-detail": writes(*SIGNED_IN, note="h2: revokes one of the own tokens"),
}

# ---------------------------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------------------------

PAGE_URLS = {
    "dashboards:home": READ,
    "dashboards:overview": READ,
    "dashboards:map": READ,
    "dashboards:province": READ,
    "dashboards:foreign": READ,
    "set_language": READ,  # the choice goes into the session and a cookie, not into any record
    "choose_language": READ,  # h8: the menu's GET link; the choice goes into a cookie, not into any record
    "returns:tracker": READ,
    "returns:print": READ,  # h7: the approved return, A4 (GET/HEAD only)
    "returns:xlsx": READ,  # h7: the approved return's workbook (GET/HEAD only)
    "protection:registry": READ,
    "protection:register": READ,
    "protection:reconciliation": READ,
    "protection:summary": READ,
    "localwork:index": READ,
    "localwork:search": READ,
    "localwork:attachment": READ,
    "localwork:year": READ,
    "localwork:print": READ,
    "localwork:export-markdown": READ,
    "localwork:export-docx": READ,
    "statistics:appendix-export": READ,
    "evaluation:national": READ,
    "evaluation:regions": READ,
    "evaluation:province": READ,
    "evaluation:method": READ,
    "national:index": READ,
    "national:chapter": READ,
    "healthz": READ,
    "route:favicon.ico": READ,
    "statistics:appendix-import": writes(*ADMINS, note="the report-layout importer, through the rule engine"),
    # h5: the landing page reads; the notifications pages change only the signed-in user's own notifications and
    # e-mail preference (notifications.services).
    "workspace:home": READ,
    "site-login": writes(*EVERYONE, note="the admin's login view, leading to workspace:home"),
    "notifications:list": READ,
    "notifications:read": writes(*SIGNED_IN, note="the own notification only (404 for another's)"),
    "notifications:read-all": writes(*SIGNED_IN, note="the own notifications only"),
    "notifications:preferences": writes(*SIGNED_IN, note="the own e-mail preference"),
}

# ---------------------------------------------------------------------------------------------------------------
# Walking the resolver
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    route: str  # the full pattern, e.g. "admin/statistics/region/<path:object_id>/change/"
    name: str  # "admin:statistics_region_change", or "" for a pattern without a name
    callback: object

    @property
    def key(self) -> str:
        return self.name if self.name and not self.name.endswith(":") else f"route:{self.route}"


def endpoints(resolver=None, prefix="", namespace="") -> list[Endpoint]:
    """Every URL pattern, recursively through includes and namespaces."""
    found = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            found += endpoints(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
            found.append(Endpoint(prefix + str(pattern.pattern), name or f"{namespace}:", pattern.callback))
    return found


def model_admin_of(callback):
    """The ModelAdmin behind an admin view (Django's wrap() sets ``model_admin``; ``admin_view`` keeps the bound
    method as ``__wrapped__``)."""
    found = getattr(callback, "model_admin", None)
    if found is None:
        bound = getattr(callback, "__wrapped__", None)
        found = getattr(bound, "__self__", None)
    return found if isinstance(found, admin.ModelAdmin) else None


def admin_kind(endpoint: Endpoint, model_admin) -> str:
    """ "change", "history", "simple_history", … from the URL name (``<app>_<model>_<kind>``), or the redirect."""
    opts = model_admin.opts
    stem = f"admin:{opts.app_label}_{opts.model_name}_"
    if endpoint.name.startswith(stem):
        return endpoint.name[len(stem) :]
    if endpoint.name == "admin:" and endpoint.route.endswith("<path:object_id>/"):
        return "redirect"
    return f"unknown ({endpoint.name or endpoint.route})"


def classification(endpoint: Endpoint) -> Writes | None:
    """The inventory's entry for one URL pattern, or None when it is not listed."""
    model_admin = model_admin_of(endpoint.callback)
    if model_admin is not None and endpoint.route.startswith("admin/"):
        if endpoint.key in ADMIN_CUSTOM_URLS:
            return ADMIN_CUSTOM_URLS[endpoint.key]
        per_model = ADMIN_MODELS.get(model_admin.opts.label_lower)
        if per_model is None:
            return None
        kind = admin_kind(endpoint, model_admin)
        if kind == "redirect":
            return READ
        if kind in ADMIN_URL_KINDS:
            return ADMIN_URL_KINDS[kind]
        return per_model.get(kind)
    if endpoint.name == "admin:" and endpoint.route.endswith("<path:object_id>/"):
        label = "/".join(endpoint.route.split("/")[1:3]).replace("/", ".")
        return READ if label in ADMIN_MODELS else None  # the change page's old address, a redirect
    for table in (ADMIN_SITE_URLS, API_URLS, PAGE_URLS):
        if endpoint.key in table:
            return table[endpoint.key]
    return None


def test_the_resolver_walk_finds_every_kind_of_url():
    """A guard for the walk itself: if it stopped descending into includes, the inventory would check nothing."""
    keys = {endpoint.key for endpoint in endpoints()}
    for expected in (
        "admin:statistics_regionpatentfigure_simple_history",
        "admin:statistics_regionpatentfigure_process_import",
        "api:work-summary-detail",
        "api:schema",
        "dashboards:province",
        "set_language",
    ):
        assert expected in keys


def test_every_url_is_in_the_inventory():
    missing = sorted({f"{e.key}  ({e.route})" for e in endpoints() if classification(e) is None})
    assert not missing, (
        "URLs that the write-path inventory (tests/test_write_paths.py) does not list; decide who may write "
        "through each and add it:\n" + "\n".join(missing)
    )


def test_read_only_api_endpoints_accept_no_write_method():
    """What the inventory calls READ in the API is also what the router offers: no write action at all."""
    for endpoint in endpoints():
        actions = getattr(endpoint.callback, "actions", None)
        if endpoint.key in API_URLS and API_URLS[endpoint.key] is READ and actions:
            assert set(actions) <= {"get", "head", "options"}, (endpoint.key, actions)


# ---------------------------------------------------------------------------------------------------------------
# Trying every write
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with world_in_transaction(django_db_blocker) as built:
        _BODIES.clear()
        yield built
        _BODIES.clear()


@pytest.fixture(scope="module")
def clients(world, django_db_blocker):
    """One client per role, signed in once for the module (inside the world's transaction): signing in for every
    endpoint cost a tenth of the module's time. ``as_signed_in`` puts each client's cookies back after an attempt,
    so a URL that signs out (or changes the session) cannot leave the next endpoint an anonymous client."""
    made = {}
    with django_db_blocker.unblock():
        for role in ROLES:
            client = Client()
            client.raise_request_exception = False
            if world.users[role] is not None:
                client.force_login(world.users[role])
            made[role] = client
    return made


@contextmanager
def as_signed_in(client):
    cookies = copy.deepcopy(client.cookies)
    try:
        yield client
    finally:
        client.cookies = cookies


PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>[^)]*\)|\((?!\?)[^)]*\)")


def model_of(endpoint: Endpoint):
    model_admin = model_admin_of(endpoint.callback)
    if model_admin is not None:
        return model_admin.model
    view_class = getattr(endpoint.callback, "cls", None)
    queryset = getattr(view_class, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(view_class, "serializer_class", None)
    return getattr(getattr(serializer, "Meta", None), "model", None)


def parameter_values(endpoint: Endpoint, world) -> dict | list:
    """What each URL parameter is filled with: the world's record of the URL's model, and plain values."""
    model = model_of(endpoint)
    target = target_for(model) if model is not None else None
    history = None
    if target is not None and hasattr(model, "history") and hasattr(target, "history"):
        history = target.history.order_by("-history_id").first()
    user = world.users["officer_own"]
    values = {
        "object_id": target.pk if target is not None else 0,
        "pk": target.pk if target is not None else 0,
        "id": user.pk,
        "code": getattr(target, "code", "110000") if target is not None else "110000",
        "format": "json",
        "year": YEAR,
        "register": "centres",
        "key_prefix": "nothing",
        "key": getattr(target, "key", "nothing") if target is not None else "nothing",
        "document": "annual",
        "number": 1,
        "content_type_id": 1,
        "app_label": "statistics",
        "url": "nothing-here",
    }
    positional = [target.pk if target is not None else 0, history.history_id if history is not None else 0]
    return values, positional


def url_for(endpoint: Endpoint, world) -> str:
    values, positional = parameter_values(endpoint, world)
    positional = list(positional)

    def fill(match):
        if match.group("converter") == "drf_format_suffix":
            return ".json"
        name = match.group("name") or match.group("group")
        if name is None:
            return str(positional.pop(0))
        return str(values[name])

    path = PARAMETER.sub(fill, endpoint.route)
    path = path.replace("^", "").replace("$", "").replace("/?", "/").replace("\\.", ".")
    return "/" + path


def form_body(target) -> dict:
    """A valid-looking edit of ``target``: its own values, its version, and a review action with a comment."""
    body = {"action": "approve", "comment": "write-path test", "reason": "write-path test", "post": "yes"}
    if target is None:
        return body
    for model_field in target._meta.concrete_fields:
        if model_field.primary_key:
            continue
        value = getattr(target, model_field.attname)
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                body[model_field.name] = "on"
            continue
        body[model_field.name] = value if not isinstance(value, (dict, list)) else json.dumps(value)
    if hasattr(target, "version"):
        body["version"] = body["expected_version"] = target.version
    elif hasattr(type(target), "value_fields"):  # a figure: its version is a fingerprint of the stored row
        body["version"] = figure_version(target)
    return body


def inline_management(endpoint: Endpoint, world) -> dict:
    """Empty management forms for the admin's inlines, so that a change form is complete."""
    model_admin = model_admin_of(endpoint.callback)
    if model_admin is None:
        return {}
    request = RequestFactory().get("/")
    request.user = world.users["superuser"]
    body = {}
    for inline in model_admin.get_inline_instances(request):
        prefix = inline.get_formset(request).get_default_prefix()
        body |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return body


def api_representation(endpoint: Endpoint, target, world) -> dict:
    """The record as the API itself shows it (codes, not database ids), through the view's own serializer."""
    view_class = getattr(endpoint.callback, "cls", None)
    if target is None or view_class is None or not hasattr(view_class, "get_serializer"):
        return {}
    request = RequestFactory().get("/")
    request.user = world.users["superuser"]
    view = view_class(request=Request(request), action="retrieve", format_kwarg=None, kwargs={})
    try:
        shown = dict(view.get_serializer(target).data)
    except Exception:  # a view whose serializer needs more than this (e.g. search): send the model's own values
        return {}
    # Related records are shown nested and written by their natural key.
    return {
        key: value["code"] if isinstance(value, dict) and "code" in value else value for key, value in shown.items()
    }


def json_body(endpoint: Endpoint, target, world) -> str:
    body = {key: value for key, value in form_body(target).items() if key != "post"}
    body |= api_representation(endpoint, target, world)
    if hasattr(target, "version"):
        body["version"] = target.version
    return json.dumps(body, default=str)


_BODIES: dict = {}


def body_for(endpoint: Endpoint, url: str, target, world):
    """The body sent to ``url``, built once per endpoint and target: it is the same for every role and method (the
    record as the superuser sees it), and building it reads the record through its serializer."""
    key = (endpoint, url, None if target is None else (target._meta.label_lower, target.pk))
    if key not in _BODIES:
        if url.startswith("/api/"):
            _BODIES[key] = json_body(endpoint, target, world)
        else:
            _BODIES[key] = form_body(target) | inline_management(endpoint, world)
    return _BODIES[key]


def send(client, method, url, endpoint, target, world):
    if url.startswith("/api/"):
        return client.generic(method, url, body_for(endpoint, url, target, world), content_type="application/json")
    body = body_for(endpoint, url, target, world)
    if method == "POST":
        return client.post(url, body)
    return client.generic(method, url, urlencode(body), content_type="application/x-www-form-urlencoded")


def listed_endpoints():
    return sorted((e for e in endpoints() if classification(e) is not None), key=lambda e: (e.route, e.name))


@contextmanager
def pages_not_rendered():
    """Django's admin treats every method but POST as GET and only renders a page for it; rendering it adds nothing
    to a test of writes (no template writes) but most of the time. DRF's responses render as usual."""
    original = SimpleTemplateResponse.rendered_content
    SimpleTemplateResponse.rendered_content = property(lambda response: "")
    try:
        yield
    finally:
        SimpleTemplateResponse.rendered_content = original


def try_writes(client, url, endpoint, target, world, server_errors, role) -> None:
    for method in methods_to_send(endpoint.callback, model_admin_of(endpoint.callback)):
        rendering = nullcontext() if method == "POST" else pages_not_rendered()
        with rendering:
            response = send(client, method, url, endpoint, target, world)
        if response.status_code >= 500:
            server_errors.append(f"{role} {method} {url}: {response.status_code}")


def roles_to_try(rule: Writes) -> tuple:
    """Every role a ``writes`` entry does not allow. Where nobody may write (``READ``, ``REFUSED``, ``writes()``),
    the weakest and the strongest of each kind: anonymous, the officer, the reviewer and the superuser (who holds
    every permission, so takes the deepest path through the view)."""
    if rule.roles:
        return tuple(role for role in ROLES if not rule.allows(role))
    return ("anonymous", "officer_own", "reviewer", "superuser")


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", listed_endpoints(), ids=lambda e: e.route)
def test_writes_change_nothing_they_may_not(world, clients, endpoint):
    """Every role the inventory does not allow sends every write method; the database must not change.

    A cheap count of rows written (``rows_written``) comes first; only when it moved is the attempt repeated between
    two fingerprints, which ignore what is not a record (sessions). Roles that may write are left to each app's own
    tests of its rules.
    """
    rule = classification(endpoint)
    url = url_for(endpoint, world)
    model = model_of(endpoint)
    target = target_for(model) if model is not None else None
    server_errors, unexpected = [], []
    for role in roles_to_try(rule):
        with attempt(), as_signed_in(clients[role]) as client:
            before = rows_written()
            try_writes(client, url, endpoint, target, world, server_errors, role)
            moved = before < 0 or rows_written() != before
        changed = []
        if moved:  # something was written: was it a record? Repeat between two fingerprints.
            with attempt(), as_signed_in(clients[role]) as client:
                fingerprint_before = fingerprint()
                try_writes(client, url, endpoint, target, world, [], role)
                changed = changed_tables(fingerprint_before, fingerprint())
        if changed:
            unexpected.append(f"{role} changed {changed} through {url}")
    assert not server_errors, server_errors
    assert not unexpected, unexpected


def endpoint_named(name: str) -> Endpoint:
    return next(e for e in endpoints() if e.name == name and "format" not in e.route)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, role, method",
    [
        ("admin:localwork_worksummary_change", "officer_own", "POST"),
        ("admin:statistics_regionpatentfigure_change", "administrator", "POST"),
        ("admin:returns_annualreturn_review", "reviewer", "POST"),
        ("api:work-summary-detail", "officer_own", "PATCH"),
        ("api:annual-return-approve", "reviewer", "POST"),
    ],
)
def test_the_attempts_are_real_edits(world, name, role, method):
    """The bodies the inventory sends are edits that do go through for a role that may make them, so a refused role
    changed nothing because it was refused, not because its request was malformed."""
    endpoint = endpoint_named(name)
    target = target_for(model_of(endpoint))
    client = Client()
    client.force_login(world.users[role])
    with attempt():
        before = fingerprint()
        response = send(client, method, url_for(endpoint, world), endpoint, target, world)
        changed = changed_tables(before, fingerprint())
    assert response.status_code < 400, response.content[:500]
    assert changed, f"{role} {method} {name} wrote nothing"
