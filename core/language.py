"""The language menu's links: a GET that stores the chosen language in its cookie and goes back to the page.

Django's ``set_language`` takes a POST with a CSRF token, so a menu built from it put a per-visitor token on every
page and no page could be cached (``core/page_cache.py``). A link carries nothing per visitor. It changes no record:
a link from elsewhere can only switch the visitor's interface language, which the menu switches back.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .refusals import refusal

HOME = "/"


def safe_next(request) -> str:
    """``?next=`` when it is a path on this site; the home page otherwise (never another site: no open redirect)."""
    target = request.GET.get("next", "")
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(target, allowed_hosts=None, require_https=request.is_secure())
    ):
        return target
    return HOME


@never_cache
@require_safe
def choose_language(request):
    language = request.GET.get("language", "")
    if language not in dict(settings.LANGUAGES):
        message = _("“%(language)s” is not a language of this site.") % {"language": language[:20]}
        return refusal(request, 400, _("Unknown language"), message)
    response = HttpResponseRedirect(safe_next(request))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
