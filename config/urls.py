from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

admin.site.site_header = _("IP annual records")
admin.site.site_title = _("IP annual records")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/statistics/", include("statistics.urls")),
    path("admin/", admin.site.urls),
]
