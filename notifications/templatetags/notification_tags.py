"""``{% unread_notifications as count %}`` for the site's header: one COUNT query, only for a signed-in user."""

from django import template

from ..selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    return unread_count(user) if user is not None else 0
