"""``/api/v1/``: one router holding every app's routes, the OpenAPI schema and its documentation pages."""

from django.urls import path
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView
from rest_framework import permissions, routers
from rest_framework.routers import DefaultRouter

from core.schema_view import SchemaView
from core.token_api import LogoutAllView, LogoutView, ObtainTokenView, TokenViewSet
from evaluation.api.urls import routes as evaluation_routes
from localwork.api.urls import routes as localwork_routes
from protection.api.urls import routes as protection_routes
from returns.api.urls import routes as returns_routes
from review.api_urls import routes as review_routes
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
    *evaluation_routes,
):
    router.register(prefix, viewset, basename=basename)
router.register("tokens", TokenViewSet, basename="api-token")

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("token/", ObtainTokenView.as_view(), name="token"),
    path("token/logout/", LogoutView.as_view(), name="token-logout"),
    path("token/logoutall/", LogoutAllView.as_view(), name="token-logoutall"),
    *router.urls,
]
