from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.overview, {"template": "home.html"}, name="home"),
    path("overview/", views.overview, name="overview"),
    path("map/", views.province_map, name="map"),
    path("province/<str:code>/", views.province, name="province"),
    path("foreign/", views.foreign, name="foreign"),
]
