"""One shape for the refusals that happen outside a view: JSON under ``/api/`` (or for clients that ask for JSON),
a page in the admin's look elsewhere. The message is already translated into the user's language."""

from django.contrib import admin
from django.http import JsonResponse
from django.template.response import TemplateResponse


def wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.META.get("HTTP_ACCEPT", "")


def refusal(request, status: int, title: str, message: str, *, retry_after: int | None = None, **extra):
    if wants_json(request):
        response = JsonResponse({"detail": message, **extra}, status=status)
    else:
        # The admin's site header, without admin.site.each_context(): that needs request.user, which a refusal
        # at the edge (before the authentication middleware) does not have.
        context = {
            "title": title,
            "message": message,
            "site_header": admin.site.site_header,
            "site_title": admin.site.site_title,
        }
        response = TemplateResponse(request, "core/refusal.html", context, status=status)
        response.render()
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response
