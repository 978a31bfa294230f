"""Password guessing is slowed down by django-axes: failed sign-ins are counted per account and per address.

Chosen over DRF's throttles because axes sits in Django's ``authenticate()``: it covers the admin login, the
token endpoint and any other ``authenticate(request=…)`` call alike, and it keeps its counts in the database, so
several application servers share them (DRF's throttles count in the cache, which is per machine here).

After ``AXES_FAILURE_LIMIT`` failed attempts within ``AXES_COOLOFF_TIME`` for one username (from any address), or
from one address (for any usernames), further attempts are refused, even with the right password, until the
cool-off has passed since the last failure. The refusal is HTTP 429 with a translated message: JSON under
``/api/``, a page elsewhere.
"""

import math

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .refusals import refusal


class LoginThrottleBackend(AxesStandaloneBackend):
    """axes' check, first in ``AUTHENTICATION_BACKENDS``; it refuses locked-out attempts and authenticates nobody.

    An ``authenticate()`` call without a request (the test client's ``login()``, a shell) has no address to count
    and is left to the next backend instead of failing: every sign-in over HTTP passes the request.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str | None:
    """The address attempts are counted for: the peer, or behind a trusted proxy (``BEHIND_PROXY=1``) the address
    that proxy appended last to X-Forwarded-For (what a client sends itself is never trusted)."""
    if getattr(settings, "LOGIN_THROTTLE_BEHIND_PROXY", False):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")


def cool_off_minutes(request=None) -> int:
    cool_off = get_cool_off(request)
    return max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 0


def lockout_message(request=None) -> str:
    minutes = cool_off_minutes(request)
    return ngettext(
        "Too many failed sign-in attempts for this account or from this address. Try again in %(minutes)d minute.",
        "Too many failed sign-in attempts for this account or from this address. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """axes' ``AXES_LOCKOUT_CALLABLE``: 429 with the translated message, JSON for the API, a page elsewhere."""
    return refusal(
        request, 429, _("Sign-in locked"), lockout_message(request), retry_after=cool_off_minutes(request) * 60
    )
