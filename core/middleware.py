"""Refusals at the edge: requests that no view should see, and database states that are not a server error.

``NulRefusalMiddleware`` answers 400 to a request carrying a NUL character (``\\x00``, sent as ``%00`` or ``\\u0000``)
in its path, a query parameter, a form field (or an uploaded file's name) or a JSON body, before any view runs.
PostgreSQL cannot store NUL in text and refuses it with an error deep inside a view; no field of this project has
a use for it anyway. The message names the parameter or field (``values.R01`` for nested JSON).

``DatabaseRefusalMiddleware`` turns the database errors that ``core.database.refusal_for`` recognises into 503
(read-only database) or 409 (busy: try again), with ``Retry-After``, instead of HTTP 500. It sits last in
``MIDDLEWARE`` so that it sees a view's exception first.
"""

import io
import json
import logging

from django.http import QueryDict
from django.http.multipartparser import MultiPartParser
from django.utils.translation import gettext as _

from .database import BUSY, READ_ONLY, refusal_for
from .refusals import refusal

logger = logging.getLogger(__name__)

NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _shown(name: str) -> str:
    return name.replace(NUL, "\\0")


def _in_query_dict(data) -> str | None:
    for key, values in data.lists():
        if NUL in key or any(isinstance(value, str) and NUL in value for value in values):
            return _shown(key)
    return None


def _in_files(files) -> str | None:
    for key, uploads in files.lists():
        if NUL in key or any(NUL in (upload.name or "") for upload in uploads):
            return _shown(key)
    return None


def _in_json(value, path: str = "") -> str | None:
    if isinstance(value, str):
        return path if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                return _shown(inner)
            found = _in_json(item, inner)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _in_json(item, f"{path}[{index}]")
            if found:
                return found
    return None


def _form_data(request):
    if request.method == "POST":
        return request.POST, request.FILES
    body = request.body  # PUT and PATCH: Django parses forms only for POST
    if request.content_type == "multipart/form-data":
        return MultiPartParser(request.META, io.BytesIO(body), request.upload_handlers, request.encoding).parse()
    return QueryDict(body, encoding=request.encoding), None


def where_nul(request) -> str | None:
    """The name of the first place in the request that holds a NUL character, or None."""
    if NUL in request.path:
        return _("the address")
    found = _in_query_dict(request.GET)
    if found is not None:
        return found
    content_type = request.content_type or ""
    if content_type in FORM_TYPES:
        data, files = _form_data(request)
        return _in_query_dict(data) or (_in_files(files) if files is not None else None)
    if content_type == "application/json" or content_type.endswith("+json"):
        body = request.body
        if b"\\u0000" not in body and b"\x00" not in body:
            return None
        try:
            return _in_json(json.loads(body))
        except ValueError:
            return _("the request body")  # raw NUL bytes: not JSON anyway
    return None


class NulRefusalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = where_nul(request)
        if name is not None:
            message = _("“%(name)s” contains a NUL character (\\0), which is not accepted. Remove it and try again.")
            return refusal(request, 400, _("Request refused"), message % {"name": name}, field=name)
        return self.get_response(request)


class DatabaseRefusalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        kind = refusal_for(exception)
        if kind == READ_ONLY:
            logger.warning("Write refused, the database is read-only: %s %s", request.method, request.path)
            message = _("The database is read-only at the moment (maintenance). Nothing was saved; try again later.")
            return refusal(request, 503, _("Read-only"), message, retry_after=60)
        if kind == BUSY:
            logger.warning("Database busy: %s %s: %s", request.method, request.path, exception)
            message = _("The database is busy with another change. Your change was not saved; try again in a moment.")
            return refusal(request, 409, _("Try again"), message, retry_after=1)
        return None
