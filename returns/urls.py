from django.urls import path

from . import views

app_name = "returns"
urlpatterns = [
    path("tracker/", views.tracker_view, name="tracker"),
]
