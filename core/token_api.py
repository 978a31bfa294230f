"""The token endpoints of the API: sign in for a token, sign a token out, list and revoke tokens.

- ``POST /api/v1/token/`` with ``username`` and ``password``: a new token and its expiry (the token is shown once;
  the database keeps only its hash). Failed attempts count towards the sign-in lockout (``core.throttling``); a
  locked-out account or address gets 429.
- ``POST /api/v1/token/logout/`` (with the token): ends that token. ``POST /api/v1/token/logoutall/``: ends every
  token of the caller.
- ``GET /api/v1/tokens/``: the caller's live tokens (administrators: everybody's), by key prefix.
- ``DELETE /api/v1/tokens/{key_prefix}/``: revokes one (own tokens; administrators any).
"""

from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from . import tokens
from .models import ApiToken
from .throttling import lockout_response
from .token_auth import ExpiringTokenAuthentication


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, trim_whitespace=False)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`. Shown only once.")
    key_prefix = serializers.CharField(help_text="The token's first characters: its name in lists and for revoking.")
    expiry = serializers.DateTimeField(allow_null=True, help_text="When the token stops working.")


class TokenSerializer(serializers.ModelSerializer):
    key_prefix = serializers.CharField(source="token_key", read_only=True)
    username = serializers.CharField(source="user.get_username", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["key_prefix", "username", "created", "expiry"]
        read_only_fields = fields


class TokenRefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()


REFUSED = OpenApiResponse(TokenRefusalSerializer, description="Refused, with a message in the user's language.")


class ObtainTokenView(APIView):
    """Exchange a username and password for an API token that expires (``API_TOKEN_TTL_HOURS``)."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: IssuedTokenSerializer,
            400: OpenApiResponse(description="Missing fields, or a wrong username or password."),
            429: OpenApiResponse(TokenRefusalSerializer, description="Too many failed attempts: locked out."),
        },
        auth=[],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        http_request = request._request  # axes marks a lockout on Django's request, which its middleware reads
        user = authenticate(request=http_request, **serializer.validated_data)
        if getattr(http_request, "axes_locked_out", False):
            return lockout_response(http_request)
        if user is None:
            raise ValidationError({"non_field_errors": [_("Unable to log in with provided credentials.")]})
        token, key = tokens.issue_token(user)
        user_logged_in.send(sender=user.__class__, request=http_request, user=user)
        return Response({"token": key, "key_prefix": token.token_key, "expiry": token.expiry})


class LogoutView(APIView):
    """End the token this request is signed with."""

    authentication_classes = [ExpiringTokenAuthentication]
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={204: None, 401: REFUSED})
    def post(self, request):
        tokens.revoke_token(request.user, request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    """End every token of the signed-in user (signed in with a token or a session)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={204: None, 401: REFUSED, 403: REFUSED})
    def post(self, request):
        tokens.revoke_all_tokens(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(list=extend_schema(responses={200: TokenSerializer, 401: REFUSED, 403: REFUSED}))
class TokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The caller's live API tokens (administrators: everybody's), and revoking one by its key prefix."""

    queryset = ApiToken.objects.none()
    serializer_class = TokenSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = []
    lookup_field = "token_key"
    lookup_url_kwarg = "key_prefix"
    lookup_value_regex = "[^/]{1,25}"

    def get_queryset(self):
        user = self.request.user
        if not user.is_authenticated:
            return ApiToken.objects.none()
        if self.action == "destroy":
            return tokens.tokens_revocable_by(user)
        return tokens.tokens_visible_to(user)

    @extend_schema(responses={204: None, 401: REFUSED, 403: REFUSED, 404: REFUSED})
    def destroy(self, request, *args, **kwargs):
        found = list(self.get_queryset().filter(token_key=kwargs[self.lookup_url_kwarg]))
        if not found:
            return Response({"detail": _("No such API token.")}, status=status.HTTP_404_NOT_FOUND)
        for token in found:
            tokens.revoke_token(request.user, token)
        return Response(status=status.HTTP_204_NO_CONTENT)
