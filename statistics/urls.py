from django.contrib import admin
from django.urls import path

from . import views

app_name = "statistics"

urlpatterns = [
    path("appendix-export/", admin.site.admin_view(views.appendix_export), name="appendix-export"),
    path("appendix-import/", admin.site.admin_view(views.appendix_import), name="appendix-import"),
]
