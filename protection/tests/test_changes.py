"""Officers' registry changes through the one review workflow: nothing published changes until approval.

Through the API (``/api/v1/protection-changes/``), the service layer and the admin's entry form.
"""

import pytest
from django.urls import reverse

from protection import services
from protection.models import Centre, RegistryChange, Status
from review import services as review

from .conftest import region

pytestmark = pytest.mark.django_db

CHANGES = "/api/v1/protection-changes/"


def beijing_centre():
    return Centre.objects.get(name="北京知识产权保护中心")


def propose(api, user, values, target_id=None, target_type="centre"):
    api.force_authenticate(user)
    return api.post(CHANGES, {"target_type": target_type, "target_id": target_id, "values": values}, format="json")


def act(api, user, change_id, action, comment="", version=None):
    """A transition as a client that read the change just before: with its current version unless one is given."""
    api.force_authenticate(user)
    if version is None:
        version = RegistryChange.objects.get(pk=change_id).version
    return api.post(f"{CHANGES}{change_id}/{action}/", {"comment": comment, "version": version}, format="json")


def published_centre(api, pk):
    api.force_authenticate(None)
    return api.get(f"/api/v1/protection-centres/{pk}/").json()


def test_the_published_entry_keeps_the_approved_version_until_approval(api, officer, reviewer):
    centre = beijing_centre()
    response = propose(api, officer, {"pre_examination": True, "industries": "新一代信息技术、生物医药"}, centre.pk)
    assert response.status_code == 201, response.json()
    change = response.json()
    assert change["state"] == "draft" and change["region"] == "110000"
    assert published_centre(api, centre.pk)["pre_examination"] is False

    assert act(api, officer, change["id"], "submit").status_code == 200
    assert published_centre(api, centre.pk)["pre_examination"] is False

    approved = act(api, reviewer, change["id"], "approve")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["state"] == "approved"
    after = published_centre(api, centre.pk)
    assert after["pre_examination"] is True and after["industries"] == "新一代信息技术、生物医药"
    record = beijing_centre().history.first()
    assert record.history_user == officer  # who proposed it
    assert str(change["id"]) in record.history_change_reason and "reviewer" in record.history_change_reason
    assert record.prev_record.pre_examination is False  # before and after are both kept


def test_return_needs_a_reason_and_the_officer_corrects(api, officer, reviewer):
    centre = beijing_centre()
    change = propose(api, officer, {"remote_hearing": False}, centre.pk).json()
    act(api, officer, change["id"], "submit")
    refused = act(api, reviewer, change["id"], "return")
    assert refused.status_code == 400
    returned = act(api, reviewer, change["id"], "return", "远程审理系统已建成，请核实")
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    event = RegistryChange.objects.get(pk=change["id"]).review_events.last()
    assert event.comment == "远程审理系统已建成，请核实"
    assert published_centre(api, centre.pk)["remote_hearing"] is True

    api.force_authenticate(officer)
    version = RegistryChange.objects.get(pk=change["id"]).version
    edited = api.patch(
        f"{CHANGES}{change['id']}/", {"values": {"rapid_protection": True}, "version": version}, format="json"
    )
    assert edited.status_code == 200, edited.json()
    act(api, officer, change["id"], "submit")
    act(api, reviewer, change["id"], "approve")
    centre.refresh_from_db()
    assert (centre.remote_hearing, centre.rapid_protection) == (True, True)


def test_a_stale_edit_of_a_change_is_refused_with_409(api, officer):
    change = propose(api, officer, {"note": "a"}, beijing_centre().pk).json()
    api.force_authenticate(officer)
    assert (
        api.patch(f"{CHANGES}{change['id']}/", {"values": {"note": "b"}, "version": 1}, format="json").status_code
        == 200
    )
    stale = api.patch(f"{CHANGES}{change['id']}/", {"values": {"note": "c"}, "version": 1}, format="json")
    assert stale.status_code == 409


def test_bad_values_are_refused_field_by_field_and_nothing_is_saved(api, officer):
    before = RegistryChange.objects.count()
    response = propose(
        api, officer, {"approved_year": 2025, "accepted_year": 2020, "status": "accepted"}, beijing_centre().pk
    )
    assert response.status_code == 400
    assert list(response.json()) == ["accepted_year"]
    response = propose(
        api,
        officer,
        {
            "name": "滨海知识产权保护中心",
            "kind": "protection",
            "level": "national",
            "region": region("天津").pk,
            "status": "operating",
        },
    )
    assert response.status_code == 403  # a new entry in another region
    assert RegistryChange.objects.count() == before


def test_unknown_fields_are_refused(api, officer):
    response = propose(api, officer, {"version": 3}, beijing_centre().pk)
    assert response.status_code == 400 and "version" in response.json()


def test_an_officer_cannot_change_another_regions_entry(api, other_officer):
    response = propose(api, other_officer, {"note": "x"}, beijing_centre().pk)
    assert response.status_code == 403


def test_an_officer_cannot_act_on_another_regions_change(api, officer, other_officer):
    change = propose(api, officer, {"note": "x"}, beijing_centre().pk).json()
    assert act(api, other_officer, change["id"], "submit").status_code == 404  # not even visible while a draft


def test_an_officer_cannot_approve(api, officer):
    change = propose(api, officer, {"note": "x"}, beijing_centre().pk).json()
    act(api, officer, change["id"], "submit")
    assert act(api, officer, change["id"], "approve").status_code == 403


def test_a_reviewer_cannot_propose(api, reviewer):
    assert propose(api, reviewer, {"note": "x"}, beijing_centre().pk).status_code == 403


def test_anonymous_users_cannot_propose_or_see_drafts(api, officer):
    change = propose(api, officer, {"note": "x"}, beijing_centre().pk).json()
    api.force_authenticate(None)
    assert api.post(CHANGES, {"target_type": "centre", "values": {}}, format="json").status_code in (401, 403)
    assert api.get(f"{CHANGES}{change['id']}/").status_code == 404
    assert api.get("/api/v1/protection-centres/").status_code == 200


def test_a_new_entry_counts_only_once_approved(api, officer, reviewer):
    values = {
        "name": "中关村知识产权保护中心",
        "kind": "protection",
        "level": "national",
        "region": region("北京").pk,
        "status": "operating",
        "operating_year": 2025,
    }
    change = propose(api, officer, values).json()
    act(api, officer, change["id"], "submit")
    assert services.operating_count("北京", 2025, "centres") == 1
    assert not Centre.objects.filter(name="中关村知识产权保护中心").exists()
    act(api, reviewer, change["id"], "approve")
    assert services.operating_count("北京", 2025, "centres") == 2
    created = Centre.objects.get(name="中关村知识产权保护中心")
    assert RegistryChange.objects.get(pk=change["id"]).target_id == created.pk


def test_approving_over_a_newer_approved_change_is_refused(officer, reviewer):
    centre = beijing_centre()
    first = services.propose(officer, "centre", centre.pk, {"note": "first"})
    second = services.propose(officer, "centre", centre.pk, {"note": "second"})
    first, second = (
        review.transition(change, "submit", officer, expected_version=change.version).target
        for change in (first, second)
    )
    review.transition(first, "approve", reviewer, expected_version=first.version)
    with pytest.raises(review.WorkflowError):
        review.transition(second, "approve", reviewer, expected_version=second.version)
    centre.refresh_from_db()
    assert centre.note == "first"


def test_figures_change_goes_through_review(api, officer, reviewer):
    centre = beijing_centre()
    change = propose(api, officer, {"centre": centre.pk, "year": 2025, "cases_accepted": -5}, None, "centrefigures")
    assert change.status_code == 400 and "cases_accepted" in change.json()
    change = propose(api, officer, {"centre": centre.pk, "year": 2025, "cases_accepted": 5000}, None, "centrefigures")
    assert change.status_code == 201
    act(api, officer, change.json()["id"], "submit")
    act(api, reviewer, change.json()["id"], "approve")
    assert centre.figures.get(year=2025).cases_accepted == 5000


def test_an_officers_admin_save_becomes_a_change_request(client, officer):
    centre = beijing_centre()
    client.force_login(officer)
    url = reverse("admin:protection_centre_change", args=[centre.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"pre_examination": "on", "status": Status.OPERATING})
    for name in ("remote_hearing",):
        data[name] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    change = RegistryChange.objects.get(target_type="centre", target_id=centre.pk)
    assert response.url == reverse("admin:protection_registrychange_change", args=[change.pk])
    assert change.values == {"pre_examination": True}
    centre.refresh_from_db()
    assert centre.pre_examination is False


def test_an_officers_stale_admin_form_proposes_nothing(client, officer):
    """Saved after the entry was renamed, the officer's form would have proposed the old name back with the officer's
    own change (the form's changed fields are read against the entry as it is now)."""
    centre = beijing_centre()
    client.force_login(officer)
    url = reverse("admin:protection_centre_change", args=[centre.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    Centre.objects.filter(pk=centre.pk).update(name=f"{centre.name}（更名）")  # approved after the officer opened it
    data.update({"pre_examination": "on"})
    response = client.post(url, data)
    assert response.status_code == 200 and "已被他人修改" in response.content.decode()
    assert not RegistryChange.objects.exists()


def test_an_officers_admin_form_shows_field_errors(client, officer):
    centre = beijing_centre()
    client.force_login(officer)
    url = reverse("admin:protection_centre_change", args=[centre.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {"remote_hearing": "on", "city": "", "approved_year": "2025", "accepted_year": "2020", "status": "operating"}
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "accepted_year" in response.context["adminform"].form.errors
    assert not RegistryChange.objects.exists()


def test_the_reviewer_sees_the_change_next_to_the_approved_values(client, officer, reviewer):
    change = services.propose(officer, "centre", beijing_centre().pk, {"pre_examination": True})
    change = review.transition(change, "submit", officer, expected_version=change.version).target
    client.force_login(reviewer)
    page = client.get(reverse("admin:protection_registrychange_change", args=[change.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "review-panel" in html and 'value="approve"' in html and 'value="return"' in html
