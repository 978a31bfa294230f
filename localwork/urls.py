"""Public pages of the work summaries, mounted at ``/summaries/``."""

from django.urls import path

from . import views

app_name = "localwork"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search_page, name="search"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<int:year>/", views.year_page, name="year"),
    path("<int:year>/print/", views.print_view, name="print"),
    path("<int:year>/export.md", views.export_markdown, name="export-markdown"),
    path("<int:year>/export.docx", views.export_docx, name="export-docx"),
]
