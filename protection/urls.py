from django.urls import path

from . import views

app_name = "protection"
urlpatterns = [
    path("", views.registry_view, name="registry"),
    path("registry/<str:register>/", views.registry_view, name="register"),
    path("reconciliation/", views.reconciliation_view, name="reconciliation"),
    path("summary/", views.summary_view, name="summary"),
]
