"""This app's API routes: (prefix, viewset, basename) triples that ``config/api_urls.py`` registers on one router."""

from . import views

routes = [
    ("work-summaries", views.WorkSummaryViewSet, "work-summary"),
    ("typical-cases", views.TypicalCaseViewSet, "typical-case"),
    ("work-summary-search", views.SearchViewSet, "work-summary-search"),
]
