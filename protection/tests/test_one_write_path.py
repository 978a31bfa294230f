"""Registry changes are written by ``protection.services`` only: the API, the change's admin form and the entry's
admin form refuse the same bad write with the same translated message, and write nothing."""

import json
import re

import pytest
from django.urls import reverse

from protection import services
from protection.models import Centre, RegistryChange
from review import services as review

pytestmark = pytest.mark.django_db

CHANGES = "/api/v1/protection-changes/"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# 受理 (accepted) before 获批 (approved): a rule of the entry itself (``Centre.clean``).
BAD = {"approved_year": 2025, "accepted_year": 2020, "status": "accepted"}


def beijing_centre():
    return Centre.objects.get(name="北京知识产权保护中心")


def form_errors(response) -> list[str]:
    form = response.context["adminform"].form
    return [message for messages in form.errors.values() for message in messages]


def test_bad_values_are_refused_in_the_same_words_everywhere(api, client, officer):
    centre = beijing_centre()
    with pytest.raises(services.ChangeRefused) as refused:
        services.propose(officer, "centre", centre.pk, BAD)
    message = refused.value.fields["accepted_year"][0]
    assert CHINESE.search(message), message  # the user's language, never untranslated English

    api.force_authenticate(officer)
    response = api.post(CHANGES, {"target_type": "centre", "target_id": centre.pk, "values": BAD}, format="json")
    assert response.status_code == 400
    assert response.json() == {"accepted_year": [message]}

    client.force_login(officer)
    change_form = client.post(
        reverse("admin:protection_registrychange_add"),
        {"target_type": "centre", "target_id": centre.pk, "values": json.dumps(BAD), "explanation": ""},
    )
    assert change_form.status_code == 200
    assert any(message in error for error in form_errors(change_form)), form_errors(change_form)

    url = reverse("admin:protection_centre_change", args=[centre.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"remote_hearing": "on", "city": "", "approved_year": "2025", "accepted_year": "2020"})
    data["status"] = "accepted"
    entry_form = client.post(url, data)
    assert entry_form.status_code == 200
    assert message in entry_form.context["adminform"].form.errors["accepted_year"]
    assert not RegistryChange.objects.exists()


def test_a_stale_revision_is_refused_in_the_same_words_by_the_api_and_the_admin(api, client, officer):
    change = services.propose(officer, "centre", beijing_centre().pk, {"note": "a"})
    opened_at = change.version
    services.revise(change, officer, values={"note": "b"}, expected_version=opened_at)  # another tab saved first

    api.force_authenticate(officer)
    response = api.patch(f"{CHANGES}{change.pk}/", {"values": {"note": "c"}, "version": opened_at}, format="json")
    assert response.status_code == 409
    message = response.json()["detail"]
    assert CHINESE.search(message), message

    client.force_login(officer)
    page = client.post(
        reverse("admin:protection_registrychange_change", args=[change.pk]),
        {"values": json.dumps({"note": "c"}), "explanation": "", "expected_version": opened_at},
    )
    assert page.status_code == 200
    assert form_errors(page) == [message]
    change.refresh_from_db()
    assert change.values == {"note": "b"}


def test_the_admin_revises_through_the_service_and_rebases(client, officer):
    """The change's admin form saves through ``services.revise``: the version moves on once, the values are checked
    and the change is rebased on the entry as it is now (no ``rebase()`` of its own)."""
    centre = beijing_centre()
    change = services.propose(officer, "centre", centre.pk, {"note": "a"})
    RegistryChange.objects.filter(pk=change.pk).update(base_history_id=None)  # as if proposed against nothing
    client.force_login(officer)
    response = client.post(
        reverse("admin:protection_registrychange_change", args=[change.pk]),
        {"values": json.dumps({"note": "b"}), "explanation": "更正", "expected_version": change.version},
    )
    assert response.status_code == 302, form_errors(response) if response.context else ""
    saved = RegistryChange.objects.get(pk=change.pk)
    assert (saved.values, saved.explanation, saved.version) == ({"note": "b"}, "更正", change.version + 1)
    assert saved.base_history_id == centre.history.order_by("-history_id").first().history_id
    assert saved.modified_by == officer


def test_a_change_the_entry_moved_past_is_stale_once_for_submission_and_approval(officer, reviewer):
    change = services.propose(officer, "centre", beijing_centre().pk, {"note": "a"})
    assert not change.is_stale()
    centre = beijing_centre()
    centre.note = "changed directly by an administrator"
    centre.save()
    assert change.is_stale()
    assert change.stale_message() in change.submission_problems()
    with pytest.raises(review.Invalid) as refused:
        review.transition(change, "submit", officer, expected_version=change.version)
    assert change.stale_message() in refused.value.messages
