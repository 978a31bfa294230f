"""``/figures/``: the national figures the reports print, by chapter (``statistics/national_views.py``)."""

from django.urls import path

from . import national_views

app_name = "national"
urlpatterns = [
    path("", national_views.index, name="index"),
    path("<str:document>/<int:number>/", national_views.chapter, name="chapter"),
]
