"""This app's API routes: (prefix, viewset, basename) triples that ``config/api_urls.py`` registers on one router."""

from . import national, views

routes = [
    ("regions", views.RegionViewSet, "region"),
    ("countries", views.CountryViewSet, "country"),
    ("region-patent-figures", views.RegionPatentFigureViewSet, "region-patent-figure"),
    ("country-patent-figures", views.CountryPatentFigureViewSet, "country-patent-figure"),
    ("region-trademark-figures", views.RegionTrademarkFigureViewSet, "region-trademark-figure"),
    ("country-trademark-figures", views.CountryTrademarkFigureViewSet, "country-trademark-figure"),
    ("region-count-figures", views.RegionCountFigureViewSet, "region-count-figure"),
    ("country-count-figures", views.CountryCountFigureViewSet, "country-count-figure"),
    ("indicator-groups", views.IndicatorGroupViewSet, "indicator-group"),
    ("indicators", views.IndicatorViewSet, "indicator"),
    ("import-runs", views.ImportRunViewSet, "import-run"),
    *national.routes,
]
