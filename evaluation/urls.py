"""The index pages under /index/."""

from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.national, name="national"),
    path("regions/", views.regions, name="regions"),
    path("province/<str:code>/", views.province, name="province"),
    path("method/", views.method, name="method"),
]
