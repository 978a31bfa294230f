"""Role checks for templates, so that a page only offers links its reader may follow (``review.roles``)."""

from django import template

from review.roles import is_headquarters as _is_headquarters

register = template.Library()


@register.filter
def is_headquarters(user) -> bool:
    """Reviewers and administrators: the tracker and the queues are theirs."""
    return bool(user and user.is_authenticated and _is_headquarters(user))
