"""The landing page after login (``LOGIN_REDIRECT_URL``), and the site's login that leads to it.

One page, with a section per role the user has: an officer's periods and records, headquarters' review queue and the
tracker's counts, an administrator's recent and failed import runs. GET only: it writes nothing.
"""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from review.roles import Role, is_headquarters, officer_region, roles_of

from . import selectors


def login(request):
    """The admin's login form, leading to the landing page unless the link asked for another page (``?next=``)."""
    if REDIRECT_FIELD_NAME in request.GET or REDIRECT_FIELD_NAME in request.POST:
        return admin.site.login(request)
    return admin.site.login(request, extra_context={REDIRECT_FIELD_NAME: reverse("workspace:home")})


@login_required
@require_http_methods(["GET", "HEAD"])
def home(request):
    user = request.user
    roles = roles_of(user)
    context = {"roles": sorted(str(role.label) for role in roles), "is_officer": Role.OFFICER in roles}
    region = officer_region(user)
    if Role.OFFICER in roles:
        context.update(
            region=region,
            periods=selectors.open_periods(region=region),
            records=selectors.officer_records(user),
        )
    if is_headquarters(user):
        filters = selectors.queue_filters(request.GET)
        context.update(
            headquarters=True,
            filters=filters,
            queue=selectors.review_queue(filters),
            tracker=selectors.tracker_summary(),
        )
    if Role.ADMINISTRATOR in roles:
        context.update(
            administrator=True,
            recent_runs=selectors.recent_import_runs(),
            failed_runs=selectors.failed_import_runs(),
        )
    return render(request, "workspace/home.html", context)
