"""Small views of the site itself (not of an app)."""

from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control


@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for ``/favicon.ico`` whatever the page says: send them to the site's icon (an SVG in static/).
    Resolved per request, so the hashed name of the manifest storage is used in production."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
