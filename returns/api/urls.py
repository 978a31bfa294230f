"""This app's API routes: (prefix, viewset, basename) triples that ``config/api_urls.py`` registers on one router."""

from .views import AnnualReturnViewSet, IndicatorValueViewSet, ReturnPeriodViewSet, ValueCommentViewSet

routes = [
    ("annual-returns", AnnualReturnViewSet, "annual-return"),
    ("indicator-values", IndicatorValueViewSet, "indicator-value"),
    ("return-periods", ReturnPeriodViewSet, "return-period"),
    ("value-comments", ValueCommentViewSet, "value-comment"),
]
