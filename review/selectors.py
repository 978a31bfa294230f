"""Who may read which reviewed record, written once for every ``Reviewable`` kind.

The one meaning, used by the admin, the API, the pages and the value lists:

- headquarters (reviewers, administrators) reads every record;
- everyone, signed in or not, reads the published ones (``Reviewable.published_condition``: approved, and for an
  index edition past its embargo), because approved data is what the report publishes;
- a provincial officer also reads every record of their own region, whatever its state (headquarters-owned kinds
  have no region, so an officer reads only their published records).

``participating`` is the narrower circle of a record's review conversation (reviewers' comments on single values):
headquarters and the region's own officer, never the public.
"""

from django.db.models import Q, QuerySet

from .models import Owner
from .roles import is_headquarters, officer_region


def _condition(user, model, prefix: str = "", public: bool = True) -> Q | None:
    """The filter for ``model``'s records ``user`` reads, each lookup under ``prefix``; None means every record."""
    if is_headquarters(user):
        return None
    parts = []
    if public:
        parts.append(_prefixed(model.published_condition(), prefix))
    region = officer_region(user)
    if region is not None and model.review_owner == Owner.REGION and model.review_region_field:
        parts.append(Q(**{f"{prefix}{model.review_region_field}": region}))
    if not parts:
        return Q(pk__in=[])
    condition = parts[0]
    for part in parts[1:]:
        condition |= part
    return condition


def _prefixed(condition: Q, prefix: str) -> Q:
    """``condition`` with every lookup moved under ``prefix`` (``state`` → ``annual_return__state``)."""
    if not prefix:
        return condition
    moved = Q()
    moved.connector, moved.negated = condition.connector, condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            moved.children.append(_prefixed(child, prefix))
        else:
            lookup, value = child
            moved.children.append((f"{prefix}{lookup}", value))
    return moved


def _filtered(queryset: QuerySet, condition: Q | None) -> QuerySet:
    return queryset if condition is None else queryset.filter(condition)


def readable(user, queryset: QuerySet) -> QuerySet:
    """The records of ``queryset`` (of a ``Reviewable`` model) that ``user`` may read. One query, no joins added."""
    return _filtered(queryset, _condition(user, queryset.model))


def readable_through(user, queryset: QuerySet, field: str, model) -> QuerySet:
    """Rows of ``queryset`` that belong, through the foreign key ``field``, to a ``model`` record ``user`` reads
    (single values through their annual return)."""
    return _filtered(queryset, _condition(user, model, prefix=f"{field}__"))


def can_read(user, obj) -> bool:
    """``readable`` for one loaded record, without a query beyond the user's roles and region."""
    if is_headquarters(user) or obj.is_published:
        return True
    region = officer_region(user)
    return region is not None and obj.review_owner == Owner.REGION and region == obj.review_region


def participating(user, queryset: QuerySet) -> QuerySet:
    """The records whose review conversation ``user`` takes part in: all for headquarters, the own region's for an
    officer, none for anyone else (published or not)."""
    return _filtered(queryset, _condition(user, queryset.model, public=False))


def participating_through(user, queryset: QuerySet, field: str, model) -> QuerySet:
    return _filtered(queryset, _condition(user, model, prefix=f"{field}__", public=False))
