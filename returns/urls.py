from django.urls import path

from . import print_views, views

app_name = "returns"
urlpatterns = [
    path("tracker/", views.tracker_view, name="tracker"),
    path("<slug:code>/<int:year>/print/", print_views.print_view, name="print"),
    path("<slug:code>/<int:year>/approved.xlsx", print_views.xlsx_view, name="xlsx"),
]
