"""This app's API routes: (prefix, viewset, basename) triples that ``config/api_urls.py`` registers on one router."""

from . import views

routes = [
    ("protection-cities", views.CityViewSet, "protection-city"),
    ("protection-centres", views.CentreViewSet, "protection-centre"),
    ("protection-platforms", views.PlatformViewSet, "protection-platform"),
    ("protection-workstations", views.WorkstationViewSet, "protection-workstation"),
    ("protection-centre-figures", views.CentreFiguresViewSet, "protection-centre-figures"),
    ("protection-platform-figures", views.PlatformFiguresViewSet, "protection-platform-figures"),
    ("protection-provincial-counts", views.ProvincialCountViewSet, "protection-provincial-count"),
    ("protection-published-totals", views.PublishedTotalViewSet, "protection-published-total"),
    ("protection-changes", views.RegistryChangeViewSet, "protection-change"),
    ("protection-reconciliation", views.ReconciliationViewSet, "protection-reconciliation"),
]
