"""The edition services leave the edition they are given as it was and hand back the fresh record.

As with the workflow (``review/tests/test_no_mutation.py``): computing, changing the method, setting the embargo,
starting a new edition and queueing a computation never change the caller's object; a caller that goes on (a
transition, a message, the next version) uses what is returned, and what is returned is what was stored.
"""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from evaluation import edition_services, tasks
from evaluation.models import Edition, WeightsSource
from review import services as review
from review.models import Action, State
from review.roles import Role

from .test_editions import EXAMPLE, WEIGHTS, person, returned


def fields(record) -> dict:
    """Every stored field of ``record`` as the object holds it (not as the database does)."""
    return {field.attname: getattr(record, field.attname) for field in record._meta.concrete_fields}


def stored(record) -> dict:
    return fields(type(record).objects.get(pk=record.pk))


@pytest.fixture
def approved_returns(db):
    return [returned(code, 2024, {"R01": r01, "R18": r18}) for code, (r01, r18) in EXAMPLE.items()]


@pytest.fixture
def preparer(db):
    return person(Role.REVIEWER)


@pytest.fixture
def draft(preparer):
    return edition_services.create_edition(preparer, 2025, weights=WEIGHTS, mc_draws=200)


@pytest.mark.django_db
def test_computing_leaves_the_given_edition_and_returns_the_fresh_one(approved_returns, preparer, draft):
    before = fields(draft)
    computed = edition_services.compute_edition(draft, preparer, draft.version)
    assert fields(draft) == before  # the caller's object is untouched
    assert computed is not draft and computed.pk == draft.pk
    assert computed.version == before["version"] + 1 and computed.computed_by == preparer
    assert computed.computed_at is not None and before["computed_at"] is None
    assert computed.inputs["evaluation_years"] == [2025]
    assert fields(computed) == stored(draft)  # the returned record is what was stored
    # The next step goes on with what was returned.
    submitted = review.transition(computed, Action.SUBMIT, preparer, expected_version=computed.version).target
    assert submitted.state == State.SUBMITTED


@pytest.mark.django_db
def test_a_refused_computation_changes_neither_the_edition_nor_the_row(preparer, draft):
    before = fields(draft)
    with pytest.raises(review.Invalid, match="2024"):  # no approved return to compute from
        edition_services.compute_edition(draft, preparer, draft.version)
    assert fields(draft) == before == stored(draft)


@pytest.mark.django_db
def test_changing_the_method_leaves_the_given_edition_and_returns_the_fresh_one(preparer, draft):
    before = fields(draft)
    weights = {"pillars": {"知识产权保护": 1.0, "市场运行": 2.0, "发展环境": 1.0}}
    changed = edition_services.update_method(draft, preparer, draft.version, weights=weights, title="second try")
    assert fields(draft) == before
    assert changed is not draft
    assert (changed.version, changed.title, changed.weights) == (before["version"] + 1, "second try", weights)
    assert changed.weights_source == WeightsSource.CUSTOM  # set by the service, not by the caller
    assert fields(changed) == stored(draft)


@pytest.mark.django_db
def test_setting_the_embargo_leaves_the_given_edition_and_returns_the_fresh_one(preparer, draft):
    before = fields(draft)
    until = timezone.now() + timedelta(days=2)
    embargoed = edition_services.set_embargo(draft, preparer, draft.version, until)
    assert fields(draft) == before
    assert (embargoed.version, embargoed.embargo_until) == (before["version"] + 1, until)
    assert fields(embargoed) == stored(draft)


@pytest.mark.django_db
def test_a_new_edition_leaves_its_source_as_it_was(approved_returns, preparer, draft):
    source = edition_services.compute_edition(draft, preparer, draft.version)
    before = fields(source)
    second = edition_services.new_edition(source, preparer, aggregation="geometric")
    assert fields(source) == before == stored(source)
    assert (second.previous_id, second.number, second.aggregation) == (source.pk, 2, "geometric")


@pytest.mark.django_db
def test_queueing_a_computation_leaves_the_given_edition(approved_returns, preparer, draft, settings):
    """Run at once (the immediate backend): the worker computes its own copy; the caller's object stays."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    before = fields(draft)
    tasks.queue_computation(draft, preparer, draft.version)
    assert fields(draft) == before
    assert Edition.objects.get(pk=draft.pk).version == before["version"] + 1


# The callers that went on with the object they had handed over go on with what is returned.


def change_form_data(response) -> dict:
    """The admin change form's data as the page shows it (what a browser would post back unchanged)."""
    form = response.context["adminform"].form
    return {name: value for name in form.fields if (value := form[name].value()) is not None}


@pytest.mark.django_db
def test_the_admins_save_and_submit_submits_the_version_just_saved(approved_returns, preparer, draft, client):
    computed = edition_services.compute_edition(draft, preparer, draft.version)
    client.force_login(preparer)
    url = reverse("admin:evaluation_edition_change", args=[computed.pk])
    data = {**change_form_data(client.get(url)), "title": "屏幕上的标题", "_review_submit": "1"}
    assert data["expected_version"] == computed.version
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    stored_edition = Edition.objects.get(pk=computed.pk)
    assert (stored_edition.state, stored_edition.title) == (State.SUBMITTED, "屏幕上的标题")
    assert stored_edition.version == computed.version + 2  # saved, then submitted


@pytest.mark.django_db
def test_the_command_computes_the_edition_it_has_just_changed(approved_returns, preparer, draft):
    out = StringIO()
    call_command("compute_index_edition", user=preparer.username, edition=draft.pk, set=["mc_draws=300"], stdout=out)
    computed = Edition.objects.get(pk=draft.pk)
    assert (computed.mc_draws, computed.version, computed.is_computed) == (300, draft.version + 2, True)
    assert f"version {computed.version}) computed" in out.getvalue()


@pytest.mark.django_db
def test_weights_that_are_not_an_object_are_refused_in_the_admin_with_a_message(preparer, draft, client):
    client.force_login(preparer)
    url = reverse("admin:evaluation_edition_change", args=[draft.pk])
    data = {**change_form_data(client.get(url)), "weights": '"知识产权保护"'}  # valid JSON, but a string
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert any("weights" in str(message) for message in response.context["messages"])
    assert fields(Edition.objects.get(pk=draft.pk)) == fields(draft)  # nothing written
