"""Officers' region assignments: one service, used by the admin list, the user page's inline and the API."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from rest_framework.test import APIClient

from core.stale_forms import fingerprint
from review import assignment_services, services
from review.assignment_admin import UserWithRegionAdmin
from review.models import RegionAssignment
from review.roles import GROUP_NAMES, Role, officer_region, roles_of
from statistics.models import Region
from statistics.tests.factories import RegionFactory, UserFactory


def person(role=None, **kwargs):
    user = UserFactory(**kwargs)
    if role:
        user.groups.add(Group.objects.get_or_create(name=GROUP_NAMES[role])[0])
    return user


def region_with_code(code, level=Region.Level.PROVINCE):
    return Region.objects.filter(code=code).first() or RegionFactory(code=code, level=level)


@pytest.fixture
def administrator(db):
    return person(Role.ADMINISTRATOR, is_staff=True)


@pytest.fixture
def reviewer(db):
    return person(Role.REVIEWER, is_staff=True)


@pytest.fixture
def province(db):
    return RegionFactory()


@pytest.fixture
def newcomer(db):
    return person(is_staff=True)


def api(user=None):
    client = APIClient()
    if user:
        client.force_authenticate(user)
    return client


# --- the service ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_assigning_makes_an_officer_of_that_region(administrator, newcomer, province):
    assignment = assignment_services.assign(administrator, newcomer, province)
    newcomer.refresh_from_db()
    assert Role.OFFICER in roles_of(newcomer)
    assert officer_region(newcomer) == province
    assert assignment.history.count() == 1


@pytest.mark.django_db
def test_only_administrators_assign(reviewer, newcomer, province):
    with pytest.raises(services.NotAllowed):
        assignment_services.assign(reviewer, newcomer, province)
    assert not RegionAssignment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["710000", "810000", "820000"])
def test_regions_that_do_not_report_take_no_officer(administrator, newcomer, code):
    with pytest.raises(services.Invalid) as refused:
        assignment_services.assign(administrator, newcomer, region_with_code(code))
    assert "31" in refused.value.messages[0]
    assert not RegionAssignment.objects.exists()


@pytest.mark.django_db
def test_the_xpcc_takes_an_officer(administrator, newcomer):
    xpcc = Region.objects.filter(level=Region.Level.CORPS).first() or RegionFactory(
        level=Region.Level.CORPS, parent=RegionFactory()
    )
    assert assignment_services.assign(administrator, newcomer, xpcc).region == xpcc


@pytest.mark.django_db
def test_headquarters_users_cannot_be_officers(administrator, reviewer, province):
    with pytest.raises(services.Invalid):
        assignment_services.assign(administrator, reviewer, province)


@pytest.mark.django_db
def test_a_stale_change_is_refused_and_writes_nothing(administrator, newcomer, province):
    assignment = assignment_services.assign(administrator, newcomer, province)
    other = RegionFactory()
    assignment_services.change(administrator, assignment, other, 1)
    with pytest.raises(services.Stale):
        assignment_services.change(administrator, assignment, province, 1)
    assert RegionAssignment.objects.get().region == other
    with pytest.raises(services.BadVersion):
        assignment_services.unassign(administrator, assignment, None)
    assignment_services.unassign(administrator, assignment, 2)
    assert not RegionAssignment.objects.exists()


# --- the API -------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_create_move_and_end(administrator, newcomer, province):
    other = RegionFactory()
    created = api(administrator).post(
        "/api/v1/region-assignments/", {"user": newcomer.username, "region": province.name_zh}, format="json"
    )
    assert created.status_code == 201, created.data
    assert (created.data["region"], created.data["version"]) == (province.code, 1)
    url = f"/api/v1/region-assignments/{created.data['id']}/"
    assert api(administrator).patch(url, {"region": other.code}, format="json").status_code == 400
    moved = api(administrator).patch(url, {"region": other.code, "version": 1}, format="json")
    assert (moved.status_code, moved.data["region"], moved.data["version"]) == (200, other.code, 2)
    assert api(administrator).patch(url, {"region": province.code, "version": 1}, format="json").status_code == 409
    assert api(administrator).delete(url + "?version=1").status_code == 409
    assert api(administrator).delete(url + "?version=2").status_code == 204
    assert not RegionAssignment.objects.exists()


@pytest.mark.django_db
def test_api_refusals_are_clear_and_write_nothing(administrator, reviewer, newcomer, province):
    body = {"user": newcomer.username, "region": province.code}
    assert api().post("/api/v1/region-assignments/", body, format="json").status_code in (401, 403)
    refused = api(reviewer).post("/api/v1/region-assignments/", body, format="json")
    assert refused.status_code == 403 and "管理员" in refused.data["detail"]
    unknown = api(administrator).post(
        "/api/v1/region-assignments/", {"user": newcomer.username, "region": "nowhere%"}, format="json"
    )
    assert unknown.status_code == 400 and "nowhere%" in str(unknown.data["region"])
    hong_kong = region_with_code("810000")
    closed = api(administrator).post(
        "/api/v1/region-assignments/", {"user": newcomer.username, "region": hong_kong.code}, format="json"
    )
    assert closed.status_code == 400
    assert not RegionAssignment.objects.exists()
    assert api(reviewer).get("/api/v1/region-assignments/").status_code == 200


# --- the admin -----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_list_and_add_through_the_service(client, administrator, newcomer, province):
    client.force_login(administrator)
    assert client.get(reverse("admin:review_regionassignment_changelist")).status_code == 200
    response = client.post(
        reverse("admin:review_regionassignment_add"), {"user": newcomer.pk, "region": province.pk, "_save": "1"}
    )
    assert response.status_code == 302
    assert RegionAssignment.objects.get(user=newcomer).region == province
    assert Role.OFFICER in roles_of(type(newcomer).objects.get(pk=newcomer.pk))


@pytest.mark.django_db
def test_admin_refuses_a_region_that_does_not_report(client, administrator, newcomer):
    client.force_login(administrator)
    macau = region_with_code("820000")
    response = client.post(reverse("admin:review_regionassignment_add"), {"user": newcomer.pk, "region": macau.pk})
    assert response.status_code == 200  # the form again, with the region refused
    assert not RegionAssignment.objects.exists()


@pytest.mark.django_db
def test_reviewers_read_but_do_not_assign(client, reviewer, newcomer, province):
    client.force_login(reviewer)
    assert client.get(reverse("admin:review_regionassignment_changelist")).status_code == 200
    response = client.post(reverse("admin:review_regionassignment_add"), {"user": newcomer.pk, "region": province.pk})
    assert response.status_code == 403
    assert not RegionAssignment.objects.exists()


def inline_data(account, **assignment):
    data = {
        "username": account.username,
        "is_active": "on",
        "is_staff": "on",
        "loaded_state": fingerprint(type(account), account.pk, UserWithRegionAdmin.stale_exclude),
        "region_assignment-TOTAL_FORMS": "1",
        "region_assignment-INITIAL_FORMS": "1" if assignment.get("id") else "0",
        "region_assignment-MIN_NUM_FORMS": "0",
        "region_assignment-MAX_NUM_FORMS": "1",
        "_save": "1",
    }
    data.update({f"region_assignment-0-{key}": value for key, value in assignment.items()})
    return data


@pytest.mark.django_db
def test_user_page_inline_assigns_and_moves(client, administrator, newcomer, province):
    client.force_login(administrator)
    url = reverse("admin:auth_user_change", args=[newcomer.pk])
    page = client.get(url)
    assert page.status_code == 200 and "region_assignment-TOTAL_FORMS" in page.content.decode()
    response = client.post(url, inline_data(newcomer, region=province.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    assignment = RegionAssignment.objects.get(user=newcomer)
    assert assignment.region == province
    other = RegionFactory()
    stale = inline_data(newcomer, id=assignment.pk, user=newcomer.pk, region=other.pk, expected_version="7")
    assert client.post(url, stale).status_code in (200, 302)
    assert RegionAssignment.objects.get(user=newcomer).region == province
    moved = client.post(
        url, inline_data(newcomer, id=assignment.pk, user=newcomer.pk, region=other.pk, expected_version="1")
    )
    assert moved.status_code == 302
    assert RegionAssignment.objects.get(user=newcomer).region == other
    users = client.get(reverse("admin:auth_user_changelist"))
    assert other.name_zh in users.content.decode()


@pytest.mark.django_db
def test_administrators_cannot_touch_a_superuser_or_make_one(client, administrator, newcomer):
    root = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(administrator)
    assert client.get(reverse("admin:auth_user_change", args=[root.pk])).status_code in (302, 404)
    assert client.get(reverse("admin:auth_user_password_change", args=[root.pk])).status_code == 404
    data = inline_data(newcomer) | {"is_superuser": "on"}
    assert client.post(reverse("admin:auth_user_change", args=[newcomer.pk]), data).status_code == 302
    newcomer.refresh_from_db()
    assert not newcomer.is_superuser
