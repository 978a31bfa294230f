"""Officers' region assignments over the API: headquarters reads them; administrators create, move and end them.

``POST /api/v1/region-assignments/`` with ``{"user": "<username>", "region": "<code or name>"}``;
``PATCH …/{id}/`` with ``{"region": …, "version": n}``; ``DELETE …/{id}/?version=n``. Every write is
``assignment_services``' (administrators only, reporting regions only, the version checked).
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.response import Response

from statistics.models import Region

from . import assignment_services
from .api import VERSION_HELP, expected_version, version_field, workflow_response
from .filtersets import RegionAssignmentFilterSet
from .models import RegionAssignment
from .roles import is_headquarters
from .services import WorkflowError


class HeadquartersReads(permissions.BasePermission):
    """Reviewers and administrators read; the service decides who writes (administrators), with its message."""

    def has_permission(self, request, view):
        return is_headquarters(request.user)


@extend_schema_field(OpenApiTypes.STR)
class RegionField(serializers.Field):
    """A region by code or by any of its names (``北京``, ``北京市``, ``Beijing``, ``110000``)."""

    default_error_messages = {"unknown": _("No region is called “%(value)s”.")}

    def to_representation(self, value):
        return value.code

    def to_internal_value(self, data):
        try:
            return Region.objects.lookup(str(data))
        except Region.DoesNotExist:
            raise serializers.ValidationError(
                _("No region is called “%(value)s”.") % {"value": str(data)[:40]}
            ) from None


@extend_schema_field(OpenApiTypes.STR)
class UserField(serializers.Field):
    """A user by username."""

    def to_representation(self, value):
        return value.get_username()

    def to_internal_value(self, data):
        user = get_user_model().objects.filter(username=str(data)).first()
        if user is None:
            raise serializers.ValidationError(_("No user is called “%(value)s”.") % {"value": str(data)[:40]})
        return user


class RegionAssignmentSerializer(serializers.ModelSerializer):
    user = UserField()
    region = RegionField()
    region_name = serializers.CharField(source="region.name_zh", read_only=True)
    version = version_field(required=False)

    class Meta:
        model = RegionAssignment
        fields = ["id", "user", "region", "region_name", "version"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["version"] = instance.version
        return data


@extend_schema_view(
    destroy=extend_schema(
        description="End an officer's assignment (administrators), with the assignment's current version.",
        parameters=[OpenApiParameter("version", int, description=VERSION_HELP)],
    )
)
class RegionAssignmentViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    queryset = RegionAssignment.objects.select_related("user", "region").order_by("region__display_order", "pk")
    serializer_class = RegionAssignmentSerializer
    permission_classes = [HeadquartersReads]
    filterset_class = RegionAssignmentFilterSet
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            assignment = assignment_services.assign(
                request.user, serializer.validated_data["user"], serializer.validated_data["region"]
            )
        except WorkflowError as error:
            return workflow_response(error)
        return Response(self.get_serializer(assignment).data, status=201)

    def partial_update(self, request, *args, **kwargs):
        assignment = self.get_object()
        serializer = self.get_serializer(assignment, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "user" in serializer.validated_data and serializer.validated_data["user"] != assignment.user:
            raise serializers.ValidationError({"user": [_("The user of an assignment cannot change.")]})
        try:
            version = serializer.validated_data.get("version")
            region = serializer.validated_data.get("region", assignment.region)
            assignment = assignment_services.change(request.user, assignment, region, version)
        except WorkflowError as error:
            return workflow_response(error)
        return Response(self.get_serializer(assignment).data)

    def destroy(self, request, *args, **kwargs):
        assignment = self.get_object()
        try:
            assignment_services.unassign(request.user, assignment, expected_version(request))
        except WorkflowError as error:
            return workflow_response(error)
        return Response(status=204)
