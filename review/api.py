"""The review workflow over the API: the same services as the admin, so the same rules and messages.

``ReviewableViewSetMixin`` goes in front of a ``ModelViewSet`` of a ``Reviewable`` model. It limits the queryset
to ``selectors.readable`` (anonymous users and officers of other regions see only published records), guards
updates with the version the client read (HTTP 409 when stale), creates records for the officer's own region, and
adds the actions ``POST …/{id}/submit|return|approve|reopen|withdraw/`` with ``{"comment": "...", "version": n}``.
"""

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import services
from .filtersets import ReviewEventFilterSet
from .models import Action, ReviewEvent
from .roles import is_headquarters
from .selectors import readable


def workflow_response(error: services.WorkflowError) -> Response:
    """``detail`` and ``messages`` always; a refusal about one field (``version``) is also keyed by that field."""
    body = {"detail": error.messages[0], "messages": error.messages}
    field = getattr(error, "field", None)
    if field:
        body[field] = error.messages
    return Response(body, status=error.status)


VERSION_HELP = (
    "The version of the record that was read. Required on every edit, deletion and transition: an edit against an "
    "older version is refused with 409, a missing or malformed one with 400."
)


def version_field(**kwargs):
    """The ``version`` a client sends back: a whole number from 1; bad values are refused with a message."""
    messages = {"required": services.VERSION_REQUIRED, "null": services.VERSION_REQUIRED}
    return serializers.IntegerField(
        min_value=1, max_value=services.MAX_VERSION, help_text=VERSION_HELP, error_messages=messages, **kwargs
    )


# A viewset that deletes (``ModelViewSet``) documents the version its DELETE needs:
# ``@extend_schema_view(destroy=DELETE_WITH_VERSION)``. (A method on the mixin would give every reviewed viewset a
# DELETE route, the annual returns' too.)
DELETE_WITH_VERSION = extend_schema(
    description="Delete a draft that was never submitted, by whoever may edit it, with its current version.",
    parameters=[OpenApiParameter("version", int, description=VERSION_HELP + " May also be sent in the body.")],
)


class TransitionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = version_field()


def expected_version(request, serializer=None):
    """The ``version`` a client sent with an edit: validated by the serializer when it has the field, else taken from
    the body or, for DELETE (whose body many clients cannot send), from ``?version=``. ``None`` when missing: the
    services refuse it."""
    if serializer is not None and hasattr(serializer, "expected_version"):
        return serializer.expected_version
    data = request.data if hasattr(request.data, "get") else {}
    value = data.get("version")
    if value is None:
        value = request.query_params.get("version")
    return value


class ReviewablePermission(permissions.BasePermission):
    """Anyone may read what the queryset shows them; writing needs a signed-in user (the services decide the rest)."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or bool(request.user and request.user.is_authenticated)


class ReviewableViewSetMixin:
    permission_classes = [ReviewablePermission]
    transition_serializer_class = TransitionSerializer

    def get_queryset(self):
        return readable(self.request.user, super().get_queryset())

    def perform_create(self, serializer):
        model = self.get_queryset().model
        region = serializer.validated_data.get(model.review_region_field) if model.review_region_field else None
        services.check_can_create(self.request.user, region, model)
        serializer.save(modified_by=self.request.user)

    def perform_update(self, serializer):
        with transaction.atomic():
            # The edit is written on the locked record, whose version has moved on.
            serializer.instance = services.guard_edit(
                serializer.instance, self.request.user, expected_version(self.request, serializer)
            )
            serializer.save()

    def perform_destroy(self, instance):
        services.delete(instance, self.request.user, expected_version(self.request))

    def handle_exception(self, exc):
        if isinstance(exc, services.WorkflowError):
            return workflow_response(exc)
        return super().handle_exception(exc)

    def perform_transition(self, obj, action_name, data):
        """Apply one transition and return its event (``.target``: the fresh record); a viewset may add to it (the
        returns add comments on single values)."""
        return services.transition(obj, action_name, self.request.user, data["comment"], data["version"])

    def _transition(self, request, action_name):
        obj = self.get_object()
        payload = self.transition_serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        event = self.perform_transition(obj, action_name, payload.validated_data)
        return Response(self.get_serializer(event.target).data, status=status.HTTP_200_OK)

    @extend_schema(request=TransitionSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None, **kwargs):
        return self._transition(request, Action.SUBMIT)

    @extend_schema(request=TransitionSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None, **kwargs):
        return self._transition(request, Action.RETURN)

    @extend_schema(request=TransitionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None, **kwargs):
        return self._transition(request, Action.APPROVE)

    @extend_schema(request=TransitionSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None, **kwargs):
        return self._transition(request, Action.REOPEN)

    @extend_schema(request=TransitionSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None, **kwargs):
        """Take back a submission no reviewer has acted on yet (back to the state it was submitted from)."""
        return self._transition(request, Action.WITHDRAW)


class ReviewableSerializerMixin(serializers.Serializer):
    """The review fields every reviewable serializer shows, read-only (they change only through the actions)."""

    state = serializers.CharField(read_only=True)
    version = version_field(required=False)
    modified_at = serializers.DateTimeField(read_only=True, allow_null=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def to_internal_value(self, data):
        """Keep the sent ``version`` aside (``expected_version``): it is what the edit is checked against, never a
        value to store; the workflow moves the stored version on."""
        attrs = super().to_internal_value(data)
        self.expected_version = attrs.pop("version", None)
        return attrs


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


class ReviewEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Every transition of every reviewed record: who, when, from which state to which, and the comment."""

    queryset = ReviewEvent.objects.select_related("content_type", "actor").order_by("-at", "-pk")
    serializer_class = ReviewEventSerializer
    permission_classes = [HeadquartersOnly]
    filterset_class = ReviewEventFilterSet
