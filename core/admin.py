"""The admin's list of API tokens: who holds which (by key prefix), since when and until when, and "revoke".

Every staff user sees and revokes their own tokens here; administrators (``core.view_apitoken`` /
``core.delete_apitoken``) everybody's. Tokens are never created or edited here: a token is issued only to someone
who signs in for it (``POST /api/v1/token/``), and its value is never stored. Revoking goes through
``core.tokens``. knox's own admin (which creates tokens and shows their hashes) is taken off the site.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from knox.models import AuthToken

from . import tokens
from .models import ApiToken

if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["key_prefix", "holder", "issued", "expires", "state"]
    search_fields = ["token_key", "user__username"]
    ordering = ["-created"]
    fields = ["key_prefix", "holder", "issued", "expires", "state"]
    readonly_fields = fields
    actions = ["revoke_selected"]

    @admin.display(description=_("key prefix"), ordering="token_key")
    def key_prefix(self, obj):
        return obj.token_key

    @admin.display(description=_("holder"), ordering="user__username")
    def holder(self, obj):
        return obj.user.get_username()

    @admin.display(description=_("issued"), ordering="created")
    def issued(self, obj):
        return obj.created

    @admin.display(description=_("expires"), ordering="expiry")
    def expires(self, obj):
        return obj.expiry

    @admin.display(description=_("state"))
    def state(self, obj):
        return _("expired") if obj.is_expired else _("active")

    def get_queryset(self, request):
        return tokens.tokens_revocable_by(request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)  # get_queryset() holds only the tokens the user may see

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # revoking goes through the service, one query for the selection
        return actions

    def delete_model(self, request, obj):
        tokens.revoke_token(request.user, obj)

    def delete_queryset(self, request, queryset):
        tokens.revoke_tokens(request.user, queryset)

    @admin.action(description=_("Revoke the selected API tokens"), permissions=["delete"])
    def revoke_selected(self, request, queryset):
        try:
            count = tokens.revoke_tokens(request.user, queryset)
        except PermissionDenied as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("%(count)d API token revoked.", "%(count)d API tokens revoked.", count) % {"count": count},
            messages.SUCCESS,
        )
