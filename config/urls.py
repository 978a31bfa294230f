from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core.health import healthz
from core.language import choose_language
from core.site_views import favicon
from workspace.views import login as site_login

admin.site.site_header = _("IP annual records")
admin.site.site_title = _("IP annual records")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("", include("dashboards.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("language/", choose_language, name="choose_language"),  # the menu's GET links (core/language.py)
    path("api/v1/", include(("config.api_urls", "api"))),
    path("returns/", include("returns.urls")),
    path("protection/", include("protection.urls")),
    path("summaries/", include("localwork.urls")),
    path("index/", include("evaluation.urls")),
    path("figures/", include("statistics.national_urls")),
    path("admin/statistics/", include("statistics.urls")),
    path("workspace/", include("workspace.urls")),
    path("notifications/", include("notifications.urls")),
    # The admin's login form, leading to the landing page by default (before admin.site.urls, which it shadows).
    path("admin/login/", site_login, name="site-login"),
    path("admin/", admin.site.urls),
]
