"""``/api/v1/schema/``: drf-spectacular's schema view, with a file name a browser can read.

Its own header puts the title (translated: Chinese by default) in a plain ``filename="…"``, which Django then
MIME-encodes whole (``=?utf-8?b?…?=``), a form no browser decodes in ``Content-Disposition``. Django's
``content_disposition_header`` writes the RFC 6266 form instead (``filename*=utf-8''…``). A module of its own:
``core.api_schema`` is imported while drf-spectacular's views load (it is DRF's schema class), so it cannot import
them back.
"""

from contextlib import nullcontext

from django.conf import settings
from django.utils import translation
from django.utils.http import content_disposition_header
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SCHEMA_KWARGS, SpectacularAPIView


class SchemaView(SpectacularAPIView):
    @extend_schema(**SCHEMA_KWARGS)  # as on the view's own ``get``: the schema leaves itself out
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        language = request.GET.get("lang") if settings.USE_I18N else None  # as the view itself reads it
        with translation.override(language) if language else nullcontext():
            filename = f"{spectacular_settings.TITLE}.{request.accepted_renderer.format}"
        response.headers["Content-Disposition"] = content_disposition_header(False, filename)
        return response
