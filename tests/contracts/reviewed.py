"""The contract of every reviewed kind: role × own/other region × state × action, in the spirit of NetBox's
``ViewTestCases``. A kind's test class names its factory and its API route and inherits every case.

Each case checks the service and the entry points against one hand-written table:

- ``read``: ``review.selectors.can_read`` and ``readable``, the admin's list (``get_queryset``) and the API's
  detail (200 or 404) all agree with the table;
- a transition: ``review.services.refusal`` agrees with the table, and the same transition made through the API
  (or the service, for a kind without transition endpoints) either is done (200, the new state, one event) or is
  refused (401/403/404) with nothing written (same state, same version, no event).

The tables are written out by hand from the design (who prepares, who reviews, what is published), not derived
from ``review.services.RULES``.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from review import services as review
from review.models import ReviewEvent, State
from review.roles import Role
from review.selectors import can_read, readable
from statistics.tests.factories import RegionFactory

from .factories import person

ACTIONS = ("read", "submit", "return", "approve", "reopen", "withdraw")
TARGETS = {
    "submit": State.SUBMITTED,
    "return": State.RETURNED,
    "approve": State.APPROVED,
    "reopen": State.REOPENED,
    "withdraw": State.DRAFT,  # back to the state it was submitted from: a draft here
}

# Columns: read, submit, return, approve, reopen, withdraw. "own_officer" is the officer of the record's region, who
# also submitted the submitted record.
REGION_OWNED = """
draft      own_officer    Y Y N N N N
draft      other_officer  N N N N N N
draft      reviewer       Y N N N N N
draft      administrator  Y N N N N N
draft      anonymous      N N N N N N
submitted  own_officer    Y N N N N Y
submitted  other_officer  N N N N N N
submitted  reviewer       Y N Y Y N N
submitted  administrator  Y N Y Y N N
submitted  anonymous      N N N N N N
returned   own_officer    Y Y N N N N
returned   other_officer  N N N N N N
returned   reviewer       Y N N N N N
returned   administrator  Y N N N N N
returned   anonymous      N N N N N N
approved   own_officer    Y N N N N N
approved   other_officer  Y N N N N N
approved   reviewer       Y N N N N N
approved   administrator  Y N N N Y N
approved   anonymous      Y N N N N N
reopened   own_officer    Y Y N N N N
reopened   other_officer  N N N N N N
reopened   reviewer       Y N N N N N
reopened   administrator  Y N N N N N
reopened   anonymous      N N N N N N
"""

# Headquarters prepares and another headquarters user approves; an officer is only a reader of what is published.
# "preparer" is the reviewer who submitted the submitted record (and may not approve it himself).
HEADQUARTERS_OWNED = """
draft      officer        N N N N N N
draft      preparer       Y Y N N N N
draft      reviewer       Y Y N N N N
draft      administrator  Y Y N N N N
draft      anonymous      N N N N N N
submitted  officer        N N N N N N
submitted  preparer       Y N Y N N Y
submitted  reviewer       Y N Y Y N N
submitted  administrator  Y N Y Y N N
submitted  anonymous      N N N N N N
returned   officer        N N N N N N
returned   preparer       Y Y N N N N
returned   reviewer       Y Y N N N N
returned   administrator  Y Y N N N N
returned   anonymous      N N N N N N
approved   officer        Y N N N N N
approved   preparer       Y N N N N N
approved   reviewer       Y N N N N N
approved   administrator  Y N N N Y N
approved   anonymous      Y N N N N N
reopened   officer        N N N N N N
reopened   preparer       Y Y N N N N
reopened   reviewer       Y Y N N N N
reopened   administrator  Y Y N N N N
reopened   anonymous      N N N N N N
"""


def cells(table: str) -> list:
    """One test per state × role; it checks every action of the row (each on a fresh record), so that the users
    are made once per row rather than once per action."""
    rows = []
    for line in table.strip().splitlines():
        state, role, *marks = line.split()
        rows.append((state, role, {action: mark == "Y" for action, mark in zip(ACTIONS, marks, strict=True)}))
    return rows


def cell_id(cell) -> str:
    return f"{cell[0]}-{cell[1]}"


REGION_CELLS = cells(REGION_OWNED)
HEADQUARTERS_CELLS = cells(HEADQUARTERS_OWNED)


class ReviewedContract:
    """Declare ``factory`` (accepting ``state`` and, for a region-owned kind, ``region``) and ``api_basename`` (the
    router's basename; ``None`` when the kind has no API) and ``api_transitions`` (whether the API has the
    transition actions)."""

    factory = None
    api_basename = None
    api_transitions = True

    @pytest.fixture
    def quiet_hooks(self, monkeypatch):
        """The kind's own submission checks and publication effects are not what the matrix is about."""
        model = self.factory._meta.model
        monkeypatch.setattr(model, "submission_problems", lambda record: [])
        monkeypatch.setattr(model, "on_transition", lambda record, event: None)

    def users(self, region) -> dict:
        raise NotImplementedError

    submitter_role = None

    def make(self, state, region):
        raise NotImplementedError

    def made(self, state, region, users):
        """A record in ``state``; a submitted one is submitted through the workflow by ``submitter_role``, so that
        the rules that look at the submission (self-approval, withdrawal) see it."""
        if state != State.SUBMITTED:
            return self.make(state, region)
        record = self.make(State.DRAFT, region)
        record = review.transition(record, "submit", users[self.submitter_role], expected_version=record.version).target
        return record

    def check(self, db, state, role, expected):
        region = RegionFactory()
        users = self.users(region)
        user = users[role]
        for action, allowed in expected.items():
            record = self.made(state, region, users)
            try:
                if action == "read":
                    self.check_read(user, record, allowed)
                else:
                    self.check_transition(user, record, action, allowed)
            except AssertionError as failure:
                raise AssertionError(f"{action} ({'allowed' if allowed else 'refused'}): {failure}") from failure

    # -- read ------------------------------------------------------------------------------------------------------

    def check_read(self, user, record, allowed):
        model = type(record)
        reader = user or AnonymousUser()
        assert can_read(reader, record) is allowed
        assert readable(reader, model.objects.filter(pk=record.pk)).exists() is allowed
        if user is not None and user.is_staff and model in admin.site._registry:
            request = RequestFactory().get("/")
            request.user = user
            listed = admin.site._registry[model].get_queryset(request).filter(pk=record.pk).exists()
            assert listed is allowed, "the admin's list disagrees with readable"
        if self.api_basename:
            response = self.api(user).get(reverse(f"api:{self.api_basename}-detail", args=[record.pk]))
            assert response.status_code == (200 if allowed else 404), response.content[:300]

    # -- transitions -----------------------------------------------------------------------------------------------

    def check_transition(self, user, record, action, allowed):
        actor = user or AnonymousUser()
        assert (review.refusal(actor, record, action) is None) is allowed
        before = self.snapshot(record)
        comment = "a reason" if action in ("return", "reopen") else ""
        if self.api_basename and self.api_transitions:
            url = reverse(f"api:{self.api_basename}-detail", args=[record.pk]) + f"{action}/"
            response = self.api(user).post(url, {"comment": comment, "version": record.version}, format="json")
            if allowed:
                assert response.status_code == 200, response.content[:300]
            else:
                assert response.status_code in (401, 403, 404), response.content[:300]
        elif allowed:
            record = review.transition(record, action, actor, comment, expected_version=record.version).target
        else:
            with pytest.raises(review.NotAllowed):
                review.transition(record, action, actor, comment, expected_version=record.version)
        after = self.snapshot(record)
        if allowed:
            assert after == (TARGETS[action], before[1] + 1, before[2] + 1)
        else:
            assert after == before, "a refused transition wrote something"

    @staticmethod
    def snapshot(record):
        fresh = type(record).objects.get(pk=record.pk)
        events = ReviewEvent.objects.filter(object_id=record.pk, content_type__model=record._meta.model_name).count()
        return fresh.state, fresh.version, events

    @staticmethod
    def api(user) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client


class RegionOwnedContract(ReviewedContract):
    """A kind the region's officer prepares: returns, work summaries, registry changes."""

    submitter_role = "own_officer"

    def users(self, region):
        return {
            "own_officer": person(Role.OFFICER, region),
            "other_officer": person(Role.OFFICER, RegionFactory()),
            "reviewer": person(Role.REVIEWER),
            "administrator": person(Role.ADMINISTRATOR),
            "anonymous": None,
        }

    def make(self, state, region):
        return self.factory(state=state, region=region)

    @pytest.mark.parametrize(("state", "role", "expected"), REGION_CELLS, ids=map(cell_id, REGION_CELLS))
    def test_matrix(self, db, quiet_hooks, state, role, expected):
        self.check(db, state, role, expected)


class HeadquartersOwnedContract(ReviewedContract):
    """A kind headquarters prepares and approves: the national return, index editions (no region)."""

    submitter_role = "preparer"

    def users(self, region):
        return {
            "officer": person(Role.OFFICER, region),
            "preparer": person(Role.REVIEWER),
            "reviewer": person(Role.REVIEWER),
            "administrator": person(Role.ADMINISTRATOR),
            "anonymous": None,
        }

    def make(self, state, region):
        return self.factory(state=state)

    @pytest.mark.parametrize(("state", "role", "expected"), HEADQUARTERS_CELLS, ids=map(cell_id, HEADQUARTERS_CELLS))
    def test_matrix(self, db, quiet_hooks, state, role, expected):
        self.check(db, state, role, expected)
