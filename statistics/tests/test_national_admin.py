"""The national return in the admin: one field per 表 3 indicator, the workflow panel, and the same service."""

import pytest

from review.models import RegionAssignment
from review.roles import Role, ensure_role_groups
from statistics.models.national import NationalReturn
from statistics.tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/statistics/nationalreturn/add/"


def staff(role, region=None):
    user = UserFactory(is_staff=True)
    user.groups.add(ensure_role_groups()[role])
    if region is not None:
        RegionAssignment.objects.create(user=user, region=region)
    return user


def form_data(year, version=None, **values):
    data = {"year": year}
    if version is not None:
        data["expected_version"] = version
    for code, value in values.items():
        data[f"value_{code}"] = value
    return data


def test_headquarters_enters_values_with_the_prefilled_sentence_shown(client):
    client.force_login(staff(Role.REVIEWER))
    added = client.post(ADD, form_data(2034, N15="10", N26=""))
    assert added.status_code == 302, added.content.decode()[:2000]
    national_return = NationalReturn.objects.get(year=2034)
    assert {f.series.indicator.code: f.value for f in national_return.figures.all()} == {"N15": 10}
    page = client.get(f"/admin/statistics/nationalreturn/{national_return.pk}/change/")
    assert page.status_code == 200
    assert "value_N26" in page.content.decode()
    changed = client.post(
        f"/admin/statistics/nationalreturn/{national_return.pk}/change/",
        form_data(2034, version=national_return.version, N15="11"),
    )
    assert changed.status_code == 302
    assert national_return.figures.get().value == 11


def test_the_form_starts_from_the_printed_value_and_its_sentence(client):
    client.force_login(staff(Role.REVIEWER))
    national_return = NationalReturn.objects.create(year=2025)
    text = client.get(f"/admin/statistics/nationalreturn/{national_return.pk}/change/").content.decode()
    assert "82.81" in text and "知识产权保护社会满意度" in text


def test_a_stale_form_is_refused(client):
    client.force_login(staff(Role.REVIEWER))
    client.post(ADD, form_data(2035, N15="1"))
    national_return = NationalReturn.objects.get(year=2035)
    stale = client.post(
        f"/admin/statistics/nationalreturn/{national_return.pk}/change/",
        form_data(2035, version=national_return.version - 1, N15="2"),
    )
    assert stale.status_code == 200  # the form again, with the message
    assert national_return.figures.get().value == 1


def test_officers_do_not_see_national_returns_in_the_admin(client):
    client.force_login(staff(Role.OFFICER, region=RegionFactory()))
    assert client.get("/admin/statistics/nationalreturn/").status_code == 403


@pytest.mark.parametrize("model_name", ["nationalseries", "nationalfigure", "nationalreturn"])
def test_each_national_model_has_an_admin_with_a_chinese_resource_and_a_template(client, model_name):
    import re

    from django.apps import apps
    from django.contrib import admin

    model = apps.get_model("statistics", model_name)
    model_admin = admin.site._registry[model]
    (resource_class,) = model_admin.resource_classes
    assert resource_class._meta.model is model
    for header in resource_class().get_export_headers():
        assert re.search(r"[\u4e00-\u9fff]", header), header
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    template = client.get(f"/admin/statistics/{model_name}/import-template/")
    assert template.status_code == (200 if model_name == "nationalseries" else 403)  # only series are imported
    exported = client.post(f"/admin/statistics/{model_name}/export/", {"format": "1"})
    assert exported.status_code in (200, 302)


def test_national_figures_and_returns_are_not_imported_around_their_rules(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/admin/statistics/nationalfigure/import/").status_code == 403
    assert client.get("/admin/statistics/nationalreturn/import/").status_code == 403
    assert client.get("/admin/statistics/nationalseries/import/").status_code == 200
