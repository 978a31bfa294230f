"""This app's API routes: (prefix, viewset, basename) triples that ``config/api_urls.py`` registers on one router."""

from . import views
from .editions import routes as edition_routes  # h7: editions and computed scores

routes = [
    ("index-results", views.PublishedResultViewSet, "index-result"),
    ("index-framework-groups", views.FrameworkGroupViewSet, "index-framework-group"),
    ("index-framework-indicators", views.FrameworkIndicatorViewSet, "index-framework-indicator"),
    ("index-memberships", views.MembershipViewSet, "index-membership"),
    *edition_routes,
]
