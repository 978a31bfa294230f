"""API tokens: issue, list, revoke; and the rule that a new password ends every token of its user.

Tokens are django-rest-knox tokens: the database keeps a hash of each and its expiry (``API_TOKEN_TTL_HOURS``), so
a stolen database reveals no usable token. Every write to tokens goes through the functions here: the token API,
the admin screen and the password-change receivers call them, never the model directly.

Who sees what: every signed-in user lists and revokes their own tokens; a user holding ``core.view_apitoken`` /
``core.delete_apitoken`` (administrators, see ``CoreConfig.role_permissions``) lists / revokes everybody's.

How a token ends:

- its expiry passes (the authentication refuses it; expired rows of a user are purged when they get a new one);
- ``POST /api/v1/token/logout/`` (that token) or ``/logoutall/`` (all of the user's tokens), or a revocation;
- a password change, whatever the path: the admin's password form, ``changepassword``, ``set_password()`` and
  ``save()`` in code, or a new hash assigned to ``password``. Django re-hashing an unchanged password with a newer
  algorithm when its user signs in is not a change and keeps the tokens.

A session logout (the admin's "log out") does not end tokens: they belong to scripts and integrations, which should
not stop because their owner signed out of a browser. ``logoutall`` or a password change ends them all.
"""

from django.conf import settings
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import post_init, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken

USER_MODEL = settings.AUTH_USER_MODEL


def can_see_all_tokens(user) -> bool:
    return user.has_perm("core.view_apitoken")


def can_revoke_all_tokens(user) -> bool:
    return user.has_perm("core.delete_apitoken")


def live(queryset: QuerySet) -> QuerySet:
    return queryset.filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()))


def tokens_visible_to(user) -> QuerySet:
    """Live tokens the user may see: their own, or everybody's for administrators. Newest first."""
    tokens = live(ApiToken.objects.select_related("user")).order_by("-created")
    if not can_see_all_tokens(user):
        tokens = tokens.filter(user=user)
    return tokens


def tokens_revocable_by(user) -> QuerySet:
    """Tokens (live or expired) the user may revoke: their own, or everybody's for administrators."""
    tokens = ApiToken.objects.select_related("user")
    if not can_revoke_all_tokens(user):
        tokens = tokens.filter(user=user)
    return tokens


@transaction.atomic
def issue_token(user) -> tuple[ApiToken, str]:
    """A new token for a user who has just proved their password; returns the row and the token (shown once)."""
    ApiToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    token, key = ApiToken.objects.create(user=user)
    return token, key


def revoke_token(actor, token: ApiToken) -> None:
    if token.user_id != actor.pk and not can_revoke_all_tokens(actor):
        raise PermissionDenied(_("You may revoke only your own API tokens."))
    token.delete()


def revoke_tokens(actor, tokens: QuerySet) -> int:
    """Revoke several tokens at once (the admin's action); refused whole if any belongs to someone else."""
    if not can_revoke_all_tokens(actor) and tokens.exclude(user=actor).exists():
        raise PermissionDenied(_("You may revoke only your own API tokens."))
    deleted, _by_model = tokens.delete()
    return deleted


def revoke_all_tokens(user) -> int:
    deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    return deleted


# A password change ends every token of its user -------------------------------------------------------------------


def _is_rehash(user, old_hash: str) -> bool:
    """True when Django re-hashes an unchanged password at sign-in (``check_password``'s setter): no
    ``set_password()`` pending, and the stored hash was one Django wants to upgrade."""
    if user._password is not None:
        return False  # set_password() was called: a new password, whatever the hash looks like
    try:
        hasher = identify_hasher(old_hash)
    except ValueError:
        return False
    return hasher.algorithm != get_hasher().algorithm or hasher.must_update(old_hash)


@receiver(post_init, sender=USER_MODEL, dispatch_uid="core.tokens.remember_password_hash")
def remember_password_hash(sender, instance, **kwargs):
    instance._password_hash_at_load = instance.__dict__.get("password")


@receiver(pre_save, sender=USER_MODEL, dispatch_uid="core.tokens.notice_password_change")
def notice_password_change(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._ends_tokens = False
    if raw or instance._state.adding or "password" not in instance.__dict__:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    old_hash = getattr(instance, "_password_hash_at_load", None)
    if old_hash is None:  # built by hand with a primary key: ask the database what the hash was
        old_hash = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if old_hash is not None and instance.password != old_hash and not _is_rehash(instance, old_hash):
        instance._ends_tokens = True


@receiver(post_save, sender=USER_MODEL, dispatch_uid="core.tokens.end_tokens_after_password_change")
def end_tokens_after_password_change(sender, instance, created=False, **kwargs):
    if getattr(instance, "_ends_tokens", False):
        revoke_all_tokens(instance)
        instance._ends_tokens = False
    instance._password_hash_at_load = instance.__dict__.get("password")
