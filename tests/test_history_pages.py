"""Issue 11, finding 1: the admin's history pages wrote, and showed other regions' values. They only show now.

Each test repeats one attack of the finding (the same URL, the same kind of user) and checks the database before
and after (the record's values, its version, its history and the review events), not only the status code.
"""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from localwork.models import TypicalCase, WorkSummary
from protection.models import Centre, PublishedTotal, RegistryChange
from returns.models import AnnualReturn, IndicatorValue
from review.models import ReviewEvent
from statistics.models import ImportRun, Indicator, RegionPatentFigure

from .write_world import OTHER, OWN, YEAR, changed_tables, fingerprint, world_in_transaction

pytestmark = pytest.mark.django_db

# 北京's invention applications in 2025, as printed in 附录一 table 1 of the annual report (the figure of finding 1).
PRINTED_BEIJING_INVENTION_FILINGS = 217495


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with world_in_transaction(django_db_blocker) as built:
        yield built


def login(client, world, role):
    client.force_login(world.users[role])
    return client


def history_form_url(obj, record=None):
    record = record or obj.history.order_by("-history_id").first()
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, record.history_id])


def history_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk])


def form_data(obj, **changes) -> dict:
    """What a browser would post: every stored field as it is, with ``changes`` applied."""
    data = {}
    for model_field in obj._meta.concrete_fields:
        if model_field.primary_key:
            continue
        value = getattr(obj, model_field.attname)
        data[model_field.attname if model_field.is_relation else model_field.name] = "" if value is None else value
        if model_field.is_relation:
            data[model_field.name] = data.pop(model_field.attname)
    data.update(changes)
    for name, value in list(data.items()):
        if isinstance(value, bool):
            data[name] = "on" if value else ""
    return {name: value for name, value in data.items() if value != ""}


def post_to_history_form(client, obj, **changes):
    before = fingerprint()
    response = client.post(history_form_url(obj), form_data(obj, **changes))
    return response, changed_tables(before, fingerprint())


def test_revert_is_switched_off_in_the_settings():
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True


def test_a_reviewer_cannot_change_a_published_figure_through_its_history_form(client, world):
    figure = RegionPatentFigure.objects.get(region__code=OWN, year=YEAR, measure="filed")
    assert figure.invention == PRINTED_BEIJING_INVENTION_FILINGS
    response, changed = post_to_history_form(login(client, world, "reviewer"), figure, invention=1)

    assert response.status_code == 405
    assert "changes nothing" in response.content.decode() or "不作任何修改" in response.content.decode()
    assert changed == []
    figure.refresh_from_db()
    assert figure.invention == PRINTED_BEIJING_INVENTION_FILINGS


@pytest.mark.parametrize(
    "model, lookup, changes",
    [
        (PublishedTotal, {}, {"value": 1}),
        (TypicalCase, {}, {"title": "改过的标题"}),
        (Indicator, {"code": "R01"}, {"required": False}),
        (Centre, {"region__code": OWN}, {"name": "改过的中心"}),
    ],
    ids=["published total", "typical case", "indicator required flag", "registry entry"],
)
def test_a_reviewer_cannot_change_reference_data_through_history_forms(client, world, model, lookup, changes):
    obj = model.objects.filter(**lookup).order_by("pk").first()
    response, changed = post_to_history_form(login(client, world, "reviewer"), obj, **changes)

    assert response.status_code == 405
    assert changed == []


def test_even_a_superuser_cannot_write_through_a_history_form(client, world):
    figure = RegionPatentFigure.objects.get(region__code=OWN, year=YEAR, measure="filed")
    response, changed = post_to_history_form(login(client, world, "superuser"), figure, invention=1)

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert changed == []


def other_regions_r01():
    return IndicatorValue.objects.get(
        annual_return__region__code=OTHER, annual_return__year=YEAR, indicator__code="R01"
    )


def test_an_officer_cannot_read_another_regions_values_through_history_pages(client, world):
    value = other_regions_r01()
    login(client, world, "officer_own")

    assert client.get(history_url(value)).status_code == 404
    assert client.get(history_form_url(value)).status_code == 404
    listed = client.get(reverse("admin:returns_indicatorvalue_changelist"), {"p": 0})
    assert listed.status_code == 200
    regions = {row.annual_return.region.code for row in listed.context["cl"].queryset}
    assert regions == {OWN}


def test_an_officer_reads_the_history_of_the_own_regions_values(client, world):
    value = IndicatorValue.objects.get(annual_return__region__code=OWN, annual_return__year=YEAR, indicator__code="R01")
    login(client, world, "officer_own")

    page = client.get(history_form_url(value))
    assert client.get(history_url(value)).status_code == 200
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="value"' not in html  # shown, not editable
    assert 'name="_save"' not in html and '<input type="submit"' not in html


def test_an_officer_cannot_change_another_regions_submitted_value_through_its_history_form(client, world):
    value = other_regions_r01()
    annual_return = value.annual_return
    events = ReviewEvent.objects.count()
    response, changed = post_to_history_form(login(client, world, "officer_own"), value, value="777")

    assert response.status_code in (404, 405)
    assert changed == []
    value.refresh_from_db()
    assert str(value.value).rstrip("0").rstrip(".") == "100"
    assert AnnualReturn.objects.get(pk=annual_return.pk).version == annual_return.version
    assert ReviewEvent.objects.count() == events


@pytest.mark.parametrize("role", ["officer_own", "reviewer", "administrator"])
def test_history_forms_of_summaries_and_registry_changes_refuse_without_a_server_error(client, world, role):
    summary = WorkSummary.objects.get(region__code=OWN, year=YEAR + 1)
    change = RegistryChange.objects.filter(region__code=OWN).first()
    login(client, world, role)
    for obj, changes in ((summary, {"narrative": "改写"}), (change, {"explanation": "改写"})):
        response, changed = post_to_history_form(client, obj, **changes)
        assert response.status_code == 405, (obj, response.status_code)
        assert changed == []


def test_a_past_version_is_shown_read_only_with_its_own_values(client, world):
    summary = WorkSummary.objects.get(region__code=OWN, year=YEAR)
    first = summary.history.order_by("history_id").first()
    page = login(client, world, "reviewer").get(history_form_url(summary, first))

    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="narrative"' not in html and 'name="_save"' not in html and '<input type="submit"' not in html
    assert first.narrative[:20] in html


def test_a_malformed_version_id_is_a_404_not_a_server_error(client, world):
    figure = RegionPatentFigure.objects.filter(region__code=OWN).first()
    url = reverse("admin:statistics_regionpatentfigure_simple_history", args=[figure.pk, "x"])
    assert login(client, world, "reviewer").get(url).status_code == 404
    url = reverse("admin:statistics_regionpatentfigure_simple_history", args=["x", "1"])
    assert client.get(url).status_code == 404


# -- other admin side doors -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:statistics_regionpatentfigure_changelist",
        "admin:returns_annualreturn_changelist",
        "admin:localwork_worksummary_changelist",
        "admin:protection_registrychange_changelist",
        "admin:protection_centre_changelist",
        "admin:statistics_importrun_changelist",
    ],
)
def test_no_bulk_delete_even_for_a_superuser(client, world, changelist):
    login(client, world, "superuser")
    page = client.get(reverse(changelist))
    assert page.status_code == 200
    assert "delete_selected" not in page.context["cl"].model_admin.get_actions(page.wsgi_request)

    model = page.context["cl"].model
    selected = list(model._default_manager.values_list("pk", flat=True)[:3])
    before = fingerprint()
    client.post(reverse(changelist), {"action": "delete_selected", "_selected_action": selected, "post": "yes"})
    assert changed_tables(before, fingerprint()) == []


@pytest.fixture
def import_run(world):
    return ImportRun.objects.create(kind="records", filename="kept.csv", sha256="0" * 64, user=world.users["superuser"])


def test_a_superuser_cannot_delete_an_import_run_in_the_admin(client, world, import_run):
    login(client, world, "superuser")
    url = reverse("admin:statistics_importrun_delete", args=[import_run.pk])
    before = fingerprint()

    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert changed_tables(before, fingerprint()) == []
    assert ImportRun.objects.filter(pk=import_run.pk).exists()


def test_an_import_run_refuses_to_be_deleted_from_code(import_run):
    with pytest.raises(PermissionDenied):
        import_run.delete()
    assert ImportRun.objects.filter(pk=import_run.pk).exists()
