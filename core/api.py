"""What every app's API shares: its pagination and its permissions.

Published data (the statistics, published results, registries) may be read by anyone; anything else needs the
model permission. Bookkeeping (import runs) is for staff with the model's ``view`` permission.
"""

from rest_framework import permissions
from rest_framework.pagination import PageNumberPagination


class PublicReadPermission(permissions.DjangoModelPermissions):
    """Safe methods for everyone (published data); anything else needs the model permission."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return super().has_permission(request, view)


class StaffViewPermission(permissions.DjangoModelPermissions):
    """Staff users holding the model's ``view`` permission, for every method (reads included)."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_staff) and super().has_permission(request, view)


class Pagination(PageNumberPagination):
    """100 rows a page by default; ``?page_size=`` up to 1,000 (a whole table of one year fits in one page)."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
