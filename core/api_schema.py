"""The OpenAPI schema documents the refusals, not only the successes.

Every operation answers bad input with 400 (the NUL refusal at the edge, malformed parameters, invalid bodies);
an operation with an object in its path answers 404 for an object the user may not see; one that needs a signed-in
or particular user answers 403; every write may answer 409 (a stale ``version``, a busy database) and 503 (a
read-only database). drf-spectacular documents only the success of an operation, so ``AutoSchema`` adds these
answers, with one shared body (``Refusal``), to every operation that does not document them itself. The status
codes are derived from the operation (method, path, permissions), so a new endpoint is documented the same way.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import FieldDoesNotExist
from django.test import RequestFactory
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request


class RefusalSerializer(serializers.Serializer):
    """The body of every refusal the application makes itself (workflow, permission, conflict, unavailable)."""

    detail = serializers.CharField(help_text="What was refused and why, in the user's language.")
    messages = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Every problem, when there are several."
    )
    field = serializers.CharField(required=False, help_text="The parameter or field the refusal is about.")


# A 400 body is either a refusal (above) or a serializer's or filter's errors: field name → messages.
BAD_REQUEST_SCHEMA = {
    "type": "object",
    "description": (
        "What is wrong with the request: ``detail`` (and ``field``) for a refusal at the edge or of the workflow, "
        "or the name of each invalid field, parameter or ``non_field_errors`` with its messages. A refused "
        "``version`` is always given under ``version``."
    ),
    "properties": {
        "detail": {"type": "string"},
        "messages": {"type": "array", "items": {"type": "string"}},
        "field": {"type": "string"},
        "version": {"type": "array", "items": {"type": "string"}},
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": {},
}

DESCRIPTIONS = {
    "400": "Bad input: a malformed or missing parameter or field (the version included), or a NUL character.",
    "403": "Not signed in, or not allowed to do this to this record (the message says why).",
    "404": "No such record, or not one this user may see.",
    "409": "Conflict: the record changed since the version sent (reload it), or the database is busy (retry).",
    "503": "The database is read-only for maintenance; nothing was written.",
}


def anyone_may_read(view) -> bool:
    """Whether an anonymous GET passes the view's permission classes (the public lists and details)."""
    request = Request(RequestFactory().get("/"))
    request.user = AnonymousUser()
    try:
        return all(permission.has_permission(request, view) for permission in view.get_permissions())
    except Exception:  # a permission that needs more than a bare request: treat the operation as protected
        return False


def source_may_be_null(field) -> bool:
    """Whether a field read through its model (``source="city.name"``) can be null: some field on the way is
    ``null=True``. drf-spectacular marks only fields that say ``allow_null``, so a read-only field that follows a
    nullable relation would otherwise be documented as never null, and clients that trust the schema would break."""
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    attrs = getattr(field, "source_attrs", None)
    if model is None or not attrs:
        return False
    for attr in attrs:
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False  # a property or method: nothing known
        if getattr(model_field, "null", False):
            return True
        model = getattr(model_field, "related_model", None)
        if model is None:
            return False
    return False


class AutoSchema(openapi.AutoSchema):
    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if direction == "response" and not meta.get("nullable") and source_may_be_null(field):
            meta["nullable"] = True
        return meta

    def error_codes(self) -> list[str]:
        codes = ["400"]
        unsafe = self.method not in SAFE_METHODS
        if unsafe or not anyone_may_read(self.view):
            codes.append("403")
        if "{" in self.path:
            codes.append("404")
        if unsafe:
            codes += ["409", "503"]
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self.error_codes():
            if code in responses:
                continue
            body = BAD_REQUEST_SCHEMA if code == "400" else RefusalSerializer
            responses[code] = self._get_response_for_code(
                OpenApiResponse(response=body, description=DESCRIPTIONS[code]), code, direction=direction
            )
        return dict(sorted(responses.items()))
