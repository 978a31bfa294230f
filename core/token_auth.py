"""``Authorization: Token <token>``: django-rest-knox's authentication, read-only and with a translated refusal.

knox's own ``TokenAuthentication`` deletes the user's expired tokens while it authenticates a request: a write on a
read, which fails while the database is read-only (maintenance, a standby) and so turns every token-authenticated
read into an error. This class only compares: a token past its expiry is refused; the rows are purged when their user
gets a new token (``core.tokens.issue_token``) or when someone revokes them.
"""

import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions

from .models import ApiToken


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        try:
            token = token.decode("utf-8")
            digest = hash_token(token)
        except (UnicodeDecodeError, TypeError, binascii.Error) as error:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from error
        candidates = ApiToken.objects.filter(token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH]).select_related("user")
        for candidate in candidates:
            if compare_digest(digest, candidate.digest):
                if candidate.expiry is not None and candidate.expiry <= timezone.now():
                    raise exceptions.AuthenticationFailed(_("This API token has expired; request a new one."))
                return self.validate_user(candidate)
        raise exceptions.AuthenticationFailed(_("Invalid token."))


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    """Documents the scheme in the OpenAPI schema as knox's own extension does for knox's class."""

    target_class = ExpiringTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")
