"""``/api/v1/``: one router holding every app's routes, the OpenAPI schema and its documentation pages."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework import permissions, routers
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from localwork.api.urls import routes as localwork_routes
from protection.api.urls import routes as protection_routes
from returns.api.urls import routes as returns_routes
from review.api import routes as review_routes
from statistics.api.urls import routes as statistics_routes


class PublicAPIRootView(routers.APIRootView):
    """The list of endpoints is public; each endpoint says who may read it."""

    permission_classes = [permissions.AllowAny]


class Router(DefaultRouter):
    APIRootView = PublicAPIRootView


router = Router()
for prefix, viewset, basename in (
    *statistics_routes,
    *review_routes,
    *returns_routes,
    *protection_routes,
    *localwork_routes,
):
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("token/", obtain_auth_token, name="token"),
    *router.urls,
]
