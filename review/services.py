"""The review workflow, written once: which transitions exist, who may make them, and how edits are guarded.

Every entry point (admin screens, API views, importers, the shell) calls ``transition`` to move a reviewed thing
and ``guard_edit`` before changing its content, so the same rule gives the same message everywhere.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import selectors
from .models import EDITABLE_STATES, Action, Owner, ReviewEvent, State
from .roles import Role, is_headquarters, officer_region, roles_of
from .signals import transitioned


class WorkflowError(Exception):
    """A refused transition or edit. ``status`` is the HTTP status the API answers with."""

    status = 400

    def __init__(self, messages):
        self.messages = [str(message) for message in ([messages] if isinstance(messages, str) else messages)]
        super().__init__("; ".join(self.messages))


class NotAllowed(WorkflowError):
    status = 403


class Invalid(WorkflowError):
    status = 400


class Stale(WorkflowError):
    status = 409


class BadVersion(Invalid):
    """The ``version`` of an edit is missing or not a version number; ``field`` names it for the API's answer."""

    field = "version"


# A version is a PositiveIntegerField: anything above PostgreSQL's integer range cannot be one.
MAX_VERSION = 2_147_483_647
VERSION_REQUIRED = gettext_lazy(
    "The field “version” is required: send the version of the record you read (shown with it), so that "
    "nobody's changes are overwritten."
)


@dataclass(frozen=True)
class Rule:
    """A transition: from which states, to which, by whom. ``roles=None`` means "whoever prepares the record"."""

    sources: frozenset
    target: State
    roles: frozenset | None
    needs_reason: bool = False


HEADQUARTERS = frozenset({Role.REVIEWER, Role.ADMINISTRATOR})
RULES = {
    Action.SUBMIT: Rule(EDITABLE_STATES, State.SUBMITTED, None),
    Action.RETURN: Rule(frozenset({State.SUBMITTED}), State.RETURNED, HEADQUARTERS, needs_reason=True),
    Action.APPROVE: Rule(frozenset({State.SUBMITTED}), State.APPROVED, HEADQUARTERS),
    Action.REOPEN: Rule(frozenset({State.APPROVED}), State.REOPENED, frozenset({Role.ADMINISTRATOR}), True),
    # Taking back a submission nobody has reviewed yet. A reviewer's only acts on a submitted record are return and
    # approve (value comments go with them), which leave "submitted": so "still submitted" means "not acted on".
    # The target shown here is nominal: the record goes back to the state it was submitted from
    # (``withdraw_target``), so a withdrawn correction of an approved record stays "reopened", never a deletable draft.
    Action.WITHDRAW: Rule(frozenset({State.SUBMITTED}), State.DRAFT, None),
}


def _label(obj) -> str:
    return format_lazy("{} “{}”", obj._meta.verbose_name, obj)


def _states(states) -> str:
    return _(", ").join(str(State(state).label) for state in sorted(states))


def preparer_roles(obj) -> frozenset:
    """The roles that prepare, edit and submit ``obj``: its region's officer, or headquarters staff."""
    return HEADQUARTERS if obj.review_owner == Owner.HEADQUARTERS else frozenset({Role.OFFICER})


def _roles_refusal(user, obj, action, roles) -> str | None:
    if roles_of(user) & roles:
        return None
    allowed = _(" or ").join(str(role.label) for role in sorted(roles))
    return _("Only a %(roles)s may %(action)s %(thing)s.") % {
        "roles": allowed,
        "action": action.label,
        "thing": _label(obj),
    }


def refusal(user, obj, action) -> str | None:
    """Why ``user`` may not apply ``action`` to ``obj`` now, or None when they may."""
    action = Action(action)
    rule = RULES[action]
    by_preparer = rule.roles is None
    problem = _roles_refusal(user, obj, action, preparer_roles(obj) if by_preparer else rule.roles)
    if problem:
        return problem
    if by_preparer and obj.review_owner == Owner.REGION and officer_region(user) != obj.review_region:
        return _("You may %(action)s only your own region's records; %(thing)s belongs to %(region)s.") % {
            "action": action.label,
            "thing": _label(obj),
            "region": obj.review_region,
        }
    if obj.state not in rule.sources:
        return _("Cannot %(action)s %(thing)s: it is %(state)s; this is possible only when it is %(sources)s.") % {
            "thing": _label(obj),
            "state": State(obj.state).label,
            "action": action.label,
            "sources": _states(rule.sources),
        }
    if action == Action.APPROVE and last_submitter(obj) == user:
        return _("You submitted %(thing)s yourself; someone else must approve it.") % {"thing": _label(obj)}
    if action == Action.WITHDRAW:
        return _withdraw_refusal(user, obj)
    return None


def _last_event(obj):
    return obj.review_events.select_related("actor").order_by("-at", "-pk").first()


def _withdraw_refusal(user, obj) -> str | None:
    """A submission is withdrawn only while the submit is its latest event; a headquarters-prepared record only by
    its submitter (the other headquarters users are its reviewers)."""
    event = _last_event(obj)
    if event is None or event.action != Action.SUBMIT:
        return _("A reviewer has already acted on %(thing)s; it can no longer be withdrawn.") % {"thing": _label(obj)}
    if obj.review_owner == Owner.HEADQUARTERS and event.actor_id != user.pk:
        return _("Only whoever submitted %(thing)s may withdraw it.") % {"thing": _label(obj)}
    return None


def withdraw_target(obj) -> State:
    """The state a withdrawn record returns to: the one it was submitted from (draft, returned or reopened)."""
    event = obj.review_events.filter(action=Action.SUBMIT).order_by("-at", "-pk").first()
    return State(event.from_state) if event else State.DRAFT


def last_submitter(obj):
    event = obj.review_events.filter(action=Action.SUBMIT).select_related("actor").order_by("-at", "-pk").first()
    return event.actor if event else None


def allowed_actions(user, obj) -> list:
    return [action for action in RULES if refusal(user, obj, action) is None]


def can_view(user, obj) -> bool:
    return selectors.can_read(user, obj)  # the one rule lives in review.selectors


def visible(user, queryset):
    return selectors.readable(user, queryset)  # the one rule lives in review.selectors


def edit_refusal(user, obj) -> str | None:
    """Why ``user`` may not change the content of ``obj`` now, or None."""
    if obj.review_owner == Owner.HEADQUARTERS:
        if not is_headquarters(user):
            return _("Only headquarters staff may change %(thing)s.") % {"thing": _label(obj)}
        return _locked_refusal(obj)
    region = officer_region(user)
    if region is None:
        return _("Only the provincial officer of its region may change %(thing)s.") % {"thing": _label(obj)}
    if region != obj.review_region:
        return _("You may change only your own region's records; %(thing)s belongs to %(region)s.") % {
            "thing": _label(obj),
            "region": obj.review_region,
        }
    return _locked_refusal(obj)


def _locked_refusal(obj) -> str | None:
    if obj.state not in EDITABLE_STATES:
        return _("%(thing)s is %(state)s and locked; it can be changed only while it is %(states)s.") % {
            "thing": _label(obj),
            "state": State(obj.state).label,
            "states": _states(EDITABLE_STATES),
        }
    return None


def can_edit(user, obj) -> bool:
    return edit_refusal(user, obj) is None


def check_can_create(user, region, model=None) -> None:
    """Officers create records for their own region only; headquarters creates headquarters-owned records."""
    if model is not None and model.review_owner == Owner.HEADQUARTERS:
        if not is_headquarters(user):
            raise NotAllowed(
                _("Only headquarters staff may create %(things)s.") % {"things": model._meta.verbose_name_plural}
            )
        return
    own = officer_region(user)
    if own is None or own != region:
        raise NotAllowed(_("Only the provincial officer of %(region)s may create its records.") % {"region": region})


def _stale_message(current, expected_version) -> str:
    who = current.modified_by or _("someone")
    when = date_format(timezone.localtime(current.modified_at), "DATETIME_FORMAT") if current.modified_at else ""
    return _(
        "%(thing)s was changed by %(who)s at %(when)s after you opened it (you had version %(yours)s, it is now "
        "version %(now)s). Nothing of yours was saved: reload the page to see the other changes, then make yours "
        "again."
    ) % {"thing": _label(current), "who": who, "when": when, "yours": expected_version, "now": current.version}


def check_current(obj, expected_version) -> int:
    """Refuse a missing, malformed or stale version of ``obj`` without writing anything: for work that is checked
    now and done later by a worker, which checks again under its lock."""
    version = parse_version(expected_version)
    if version != obj.version:
        raise Stale(_stale_message(obj, version))
    return version


def parse_version(expected_version) -> int:
    """The version an edit was made against, as a whole number, or ``BadVersion`` (HTTP 400) saying what is wrong.

    Every edit, deletion and transition of a reviewed record names the version it was made against; there is no
    "skip the check" value, so a client that forgets it cannot overwrite someone else's work.
    """
    if expected_version is None or (isinstance(expected_version, str) and not expected_version.strip()):
        raise BadVersion(str(VERSION_REQUIRED))
    text = str(expected_version).strip()
    if isinstance(expected_version, bool) or not text.isascii() or not text.isdigit() or int(text) > MAX_VERSION:
        raise BadVersion(
            _("The field “version” must be a whole number from 1 to %(max)s, as read with the record; not “%(value)s”.")
            % {"max": MAX_VERSION, "value": text[:40]}
        )
    version = int(text)
    if version < 1:
        raise BadVersion(_("The field “version” must be a whole number from 1 to %(max)s.") % {"max": MAX_VERSION})
    return version


def _lock(obj):
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def _check_version(locked, expected: int) -> None:
    """Compare on the row locked with ``SELECT … FOR UPDATE``: a concurrent edit with the same version waits for the
    lock, then sees the version the first one wrote, and is refused."""
    if expected != locked.version:
        raise Stale(_stale_message(locked, expected))


def _bump(locked, user, **fields) -> None:
    now = timezone.now()
    type(locked)._default_manager.filter(pk=locked.pk).update(
        version=F("version") + 1, modified_at=now, modified_by=user, **fields
    )
    locked.refresh_from_db()


@transaction.atomic
def guard_edit(obj, user, expected_version, *, bump: bool = True):
    """Lock ``obj`` for an edit by ``user`` made against ``expected_version``; refuse a stale or forbidden edit.

    Who may edit is checked first (403), then ``expected_version``: required (``BadVersion``, 400, when missing or
    malformed) and equal to the locked row's (409 when stale). Call inside the transaction
    that writes the content. Returns the locked, refreshed object, whose version has already moved on by one
    (unless ``bump`` is false: an edit that may change nothing calls ``record_edit`` once it knows it did). ``obj``
    itself is left as it was: write the content on the returned object (or copy its review fields, as the admin
    form does, ``review_fields``).
    """
    locked = _lock(obj)
    problem = edit_refusal(user, locked)
    if problem:
        raise NotAllowed(problem)
    _check_version(locked, parse_version(expected_version))
    if bump:
        _bump(locked, user)
    return locked


def record_edit(obj, user):
    """Move ``obj``'s version on by one for an edit checked by ``guard_edit(…, bump=False)`` that changed something;
    inside the same transaction (the row is still locked). An edit that changed nothing leaves the version.

    Returns the fresh record (new version, last change); ``obj`` itself is left as it was, as with ``guard_edit``:
    whoever goes on (to submit, to show the new version) uses the returned record."""
    locked = _lock(obj)
    _bump(locked, user)
    return locked


def delete_refusal(user, obj) -> str | None:
    """Why ``user`` may not delete ``obj`` now, or None: only a draft, and only by whoever may edit it."""
    problem = edit_refusal(user, obj)
    if problem:
        return problem
    if obj.state != State.DRAFT:
        return _("%(thing)s is %(state)s; only a draft that was never submitted may be deleted.") % {
            "thing": _label(obj),
            "state": State(obj.state).label,
        }
    return None


def can_delete(user, obj) -> bool:
    return delete_refusal(user, obj) is None


@transaction.atomic
def delete(obj, user, expected_version) -> None:
    """Delete ``obj`` for ``user``, made against ``expected_version``. Everything is checked before anything is
    written: a refused deletion (403 not allowed or not a draft, 409 stale, 400 no version) changes nothing."""
    locked = _lock(obj)
    problem = delete_refusal(user, locked)
    if problem:
        raise NotAllowed(problem)
    _check_version(locked, parse_version(expected_version))
    locked.delete()


REVIEW_FIELDS = ("state", "version", "modified_at", "modified_by_id", "submitted_at")


def review_fields(record) -> dict:
    """The workflow's fields of ``record`` (state, version, last change): what a form's unsaved object takes from
    the locked record ``guard_edit`` returned before it is saved, so that saving it keeps the new version."""
    return {name: getattr(record, name) for name in REVIEW_FIELDS}


@transaction.atomic
def transition(obj, action, user, comment: str = "", expected_version=None) -> ReviewEvent:
    """Apply ``action`` to ``obj`` as ``user``, or raise a ``WorkflowError`` that says why not. Writes the event.

    ``expected_version`` (the version the user saw) is required, as for every edit. Returns the event; its
    ``.target`` is the fresh record (new state and version). ``obj`` itself is left as it was, as with
    ``guard_edit``: a caller that goes on with the record (a second transition, a message saying the new state)
    uses ``event.target``, so nobody depends on an object changing under them.
    """
    action = Action(action)
    rule = RULES[action]
    expected = parse_version(expected_version)
    locked = _lock(obj)
    _check_version(locked, expected)
    problem = refusal(user, locked, action)
    if problem:
        raise NotAllowed(problem)
    comment = (comment or "").strip()
    if rule.needs_reason and not comment:
        raise Invalid(
            _("A reason is required to %(action)s %(thing)s.") % {"action": action.label, "thing": _label(obj)}
        )
    if action == Action.SUBMIT:
        problems = locked.submission_problems()
        if problems:
            raise Invalid(problems)
    from_state = locked.state
    target = withdraw_target(locked) if action == Action.WITHDRAW else rule.target
    extra = {"submitted_at": timezone.now()} if action == Action.SUBMIT else {}
    _bump(locked, user, state=target, **extra)
    event = ReviewEvent.objects.create(
        target=locked, action=action, from_state=from_state, to_state=target, actor=user, comment=comment
    )
    locked.on_transition(event)
    # Announced once the outermost transaction commits (notifications, e-mail); never for a rolled-back one.
    transaction.on_commit(lambda: transitioned.send(sender=type(locked), event=event, target=locked))
    return event
