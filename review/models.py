"""The review workflow's data: the abstract ``Reviewable`` that a reviewed model inherits, the transition log, and
the assignment of users to regions.

The rules themselves (who may do what, in which state) live in ``services.py``; this module only holds state.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import hooks


class State(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    APPROVED = "approved", _("approved")
    REOPENED = "reopened", _("reopened")


# The states in which the owner may still change the content.
EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED, State.REOPENED})


class Owner(models.TextChoices):
    """Who prepares and submits a kind of reviewed record."""

    REGION = "region", _("the provincial officer of its region")
    HEADQUARTERS = "headquarters", _("headquarters staff")


class Action(models.TextChoices):
    SUBMIT = "submit", _("submit")
    RETURN = "return", _("return for correction")
    APPROVE = "approve", _("approve")
    REOPEN = "reopen", _("reopen")
    WITHDRAW = "withdraw", _("withdraw")


class Reviewable(models.Model):
    """A thing that an officer of a region prepares and headquarters reviews.

    ``version`` grows by one with every saved edit or transition; an edit made against an older version is refused
    (optimistic locking, see ``services.guard_version``). Subclasses say where their region is with
    ``review_region_field`` and may override ``submission_problems`` to check themselves before submission.
    """

    review_region_field = "region"
    # Provincial returns, summaries and registry changes are prepared by the region's officer; national records
    # (the national return, index editions) by headquarters staff, and approved by another headquarters user.
    review_owner = Owner.REGION

    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    modified_at = models.DateTimeField(_("last modified"), null=True, blank=True, editable=False)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last modified by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    review_events = GenericRelation("review.ReviewEvent")

    class Meta:
        abstract = True

    @property
    def review_region(self):
        return getattr(self, self.review_region_field) if self.review_region_field else None

    @property
    def is_editable_state(self) -> bool:
        return self.state in EDITABLE_STATES

    def submission_problems(self) -> list[str]:
        """Everything that stops submission, one message per problem. Empty means it may be submitted (the checks
        the owning app registered in ``review.hooks``)."""
        return hooks.submission_problems(self)

    @classmethod
    def published_condition(cls) -> models.Q:
        """The records of this kind that anyone may read: approved ones. A kind with a further condition (an
        embargo) overrides this and ``is_published`` together; ``review.selectors.readable`` reads both."""
        return models.Q(state=State.APPROVED)

    @property
    def is_published(self) -> bool:
        """``published_condition`` for one loaded record."""
        return self.state == State.APPROVED

    def on_transition(self, event: "ReviewEvent") -> None:
        """Called inside the transition's transaction, after the new state is saved (e.g. to publish): the hook the
        owning app registered in ``review.hooks``."""
        hooks.on_transition(self, event)


class ReviewEvent(models.Model):
    """One transition of one reviewed thing: who, when, from which state to which, and the comment or reason."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    from_state = models.CharField(_("from state"), max_length=16, choices=State.choices)
    to_state = models.CharField(_("to state"), max_length=16, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="review_events"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self):
        return f"{self.get_action_display()}: {self.get_from_state_display()} → {self.get_to_state_display()}"


class RegionAssignment(models.Model):
    """The region a provincial officer works for. Officers see and edit only that region's records."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="region_assignment"
    )
    region = models.ForeignKey(
        "statistics.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="officers"
    )
    # Administrators change assignments against the version they read (``assignment_services``), as every edit.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("region assignment")
        verbose_name_plural = _("region assignments")

    def __str__(self):
        return f"{self.user} → {self.region}"
