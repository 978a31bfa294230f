"""A registry change's admin page submits what is on the screen: "Save and submit" saves the edited values and
explanation and submits exactly them, in one step, with the version the page was opened at."""

import json

import pytest
from django.urls import reverse

from protection.models import Centre, RegistryChange
from review.models import State

pytestmark = pytest.mark.django_db


def draft_change(api, officer) -> RegistryChange:
    centre = Centre.objects.get(name="北京知识产权保护中心")
    api.force_authenticate(officer)
    body = {"target_type": "centre", "target_id": centre.pk, "values": {"remote_hearing": False}, "explanation": "旧"}
    response = api.post("/api/v1/protection-changes/", body, format="json")
    assert response.status_code == 201, response.json()
    return RegistryChange.objects.get(pk=response.json()["id"])


def test_save_and_submit_submits_the_edited_change(api, client, officer):
    change = draft_change(api, officer)
    client.force_login(officer)
    url = reverse("admin:protection_registrychange_change", args=[change.pk])
    assert 'name="_review_submit"' in client.get(url).content.decode()
    edited = {
        "values": json.dumps({"remote_hearing": False, "pre_examination": True}),
        "explanation": "屏幕上的说明",
        "expected_version": change.version,
        "_review_submit": "1",
    }
    response = client.post(url, edited, follow=True)
    assert response.status_code == 200
    change.refresh_from_db()
    assert change.state == State.SUBMITTED
    assert change.explanation == "屏幕上的说明"
    assert change.values == {"remote_hearing": False, "pre_examination": True}


def test_save_and_submit_without_the_version_changes_nothing(api, client, officer):
    change = draft_change(api, officer)
    client.force_login(officer)
    url = reverse("admin:protection_registrychange_change", args=[change.pk])
    edited = {"values": json.dumps({"remote_hearing": True}), "explanation": "新", "_review_submit": "1"}
    response = client.post(url, edited)
    assert response.status_code == 200  # the form again, with the message
    change.refresh_from_db()
    assert (change.state, change.explanation, change.version) == (State.DRAFT, "旧", 1)
