"""The review workflow over the API: the same services as the admin, so the same rules and messages.

``ReviewableViewSetMixin`` goes in front of a ``ModelViewSet`` of a ``Reviewable`` model. It limits the queryset
(anonymous users and officers of other regions see only approved records), guards updates with the version the
client read (HTTP 409 when stale), creates records for the officer's own region, and adds the actions
``POST …/{id}/submit|return|approve|reopen/`` with ``{"comment": "...", "version": n}``.
"""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import services
from .filtersets import RegionAssignmentFilterSet, ReviewEventFilterSet
from .models import Action, RegionAssignment, ReviewEvent, State
from .roles import is_headquarters, officer_region


def workflow_response(error: services.WorkflowError) -> Response:
    return Response({"detail": error.messages[0], "messages": error.messages}, status=error.status)


class TransitionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class ReviewablePermission(permissions.BasePermission):
    """Anyone may read what the queryset shows them; writing needs a signed-in user (the services decide the rest)."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or bool(request.user and request.user.is_authenticated)


class ReviewableViewSetMixin:
    permission_classes = [ReviewablePermission]
    transition_serializer_class = TransitionSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.request.user
        if is_headquarters(user):
            return queryset
        region = officer_region(user)
        field = queryset.model.review_region_field
        published = queryset.filter(state=State.APPROVED)
        if region is None:
            return published
        return published | queryset.filter(**{field: region})

    def perform_create(self, serializer):
        services.check_can_create(
            self.request.user, serializer.validated_data.get(self.get_queryset().model.review_region_field)
        )
        serializer.save(modified_by=self.request.user)

    def perform_update(self, serializer):
        with transaction.atomic():
            expected = self.request.data.get("version")
            services.guard_edit(serializer.instance, self.request.user, expected)
            serializer.save()

    def perform_destroy(self, instance):
        services.guard_edit(instance, self.request.user, self.request.data.get("version"))
        if instance.state != State.DRAFT:
            raise services.NotAllowed(services.edit_refusal(self.request.user, instance) or "")
        instance.delete()

    def handle_exception(self, exc):
        if isinstance(exc, services.WorkflowError):
            return workflow_response(exc)
        return super().handle_exception(exc)

    def perform_transition(self, obj, action_name, data):
        """Apply one transition; a viewset may add to it (the returns add comments on single values)."""
        return services.transition(obj, action_name, self.request.user, data["comment"], data["version"])

    def _transition(self, request, action_name):
        obj = self.get_object()
        payload = self.transition_serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        self.perform_transition(obj, action_name, payload.validated_data)
        obj.refresh_from_db()
        return Response(self.get_serializer(obj).data, status=status.HTTP_200_OK)

    @extend_schema(request=TransitionSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(request, Action.SUBMIT)

    @extend_schema(request=TransitionSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._transition(request, Action.RETURN)

    @extend_schema(request=TransitionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._transition(request, Action.APPROVE)

    @extend_schema(request=TransitionSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._transition(request, Action.REOPEN)


class ReviewableSerializerMixin(serializers.Serializer):
    """The review fields every reviewable serializer shows, read-only (they change only through the actions)."""

    state = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    modified_at = serializers.DateTimeField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True)


# ---------------------------------------------------------------------------------------------------------------
# Read-only endpoints of the review app's own models: headquarters only
# ---------------------------------------------------------------------------------------------------------------


class HeadquartersOnly(permissions.BasePermission):
    """Reviewers and administrators; the transition log and the officers' assignments are internal."""

    def has_permission(self, request, view):
        return is_headquarters(request.user)


class ReviewEventSerializer(serializers.ModelSerializer):
    target_type = serializers.CharField(source="content_type.model", read_only=True)
    actor = serializers.CharField(source="actor.username", read_only=True)

    class Meta:
        model = ReviewEvent
        fields = ["id", "target_type", "object_id", "action", "from_state", "to_state", "actor", "at", "comment"]


class RegionAssignmentSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)
    region = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name_zh", read_only=True)

    class Meta:
        model = RegionAssignment
        fields = ["id", "user", "region", "region_name"]


class ReviewEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Every transition of every reviewed record: who, when, from which state to which, and the comment."""

    queryset = ReviewEvent.objects.select_related("content_type", "actor").order_by("-at", "-pk")
    serializer_class = ReviewEventSerializer
    permission_classes = [HeadquartersOnly]
    filterset_class = ReviewEventFilterSet


class RegionAssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = RegionAssignment.objects.select_related("user", "region").order_by("region__display_order")
    serializer_class = RegionAssignmentSerializer
    permission_classes = [HeadquartersOnly]
    filterset_class = RegionAssignmentFilterSet


routes = [
    ("review-events", ReviewEventViewSet, "review-event"),
    ("region-assignments", RegionAssignmentViewSet, "region-assignment"),
]
