"""An administrator's edit of one figure in the admin goes through ``services.save_figure``: the import's rules,
the version the form was opened at, the permission and the history. A refused edit writes nothing and says why on
the form.

Expected figures come from the report's text (``conftest.Report``); users from the factories.
"""

import pytest
from django.contrib.auth.models import Permission

from statistics import models, services
from statistics.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def chief(client):
    user = UserFactory(username="figures-chief", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def shenzhen_filed():
    return models.RegionPatentFigure.objects.select_related("region").get(
        region__name_zh="深圳", year=2025, measure="filed"
    )


def change_url(figure) -> str:
    return f"/admin/statistics/regionpatentfigure/{figure.pk}/change/"


def opened_form(client, figure) -> dict:
    """The change form's fields as the page gives them (the version included)."""
    form = client.get(change_url(figure), **ENGLISH).context["adminform"].form
    return {name: form[name].value() for name in form.fields}


def printed_cell(report, table, label, column, year=2025):
    return report[table].keyed(report[table].row(label))[(year, column)]


def test_an_edit_that_breaks_a_rule_is_refused_on_the_form_and_nothing_is_written(client, chief, report):
    figure = shenzhen_filed()
    guangdong = printed_cell(report, 1, "广东", "invention")
    data = opened_form(client, figure) | {"invention": guangdong + 1}
    response = client.post(change_url(figure), data, **ENGLISH)
    assert response.status_code == 200
    form = response.context["adminform"].form
    errors = " ".join(message for messages in form.errors.values() for message in messages)
    assert str(guangdong) in errors and "深圳" in errors  # the province's value, and the "of which" row
    assert shenzhen_filed().invention == printed_cell(report, 1, "(深圳)", "invention")
    assert not figure.history.filter(history_user=chief).exists()


def test_an_edit_opened_before_another_change_gets_the_stale_message(client, chief, report):
    figure = shenzhen_filed()
    data = opened_form(client, figure)
    other = shenzhen_filed()
    other.design += 1
    services.save_figure(other, chief, services.figure_version(shenzhen_filed()))
    response = client.post(change_url(figure), data | {"invention": int(data["invention"]) - 1}, **ENGLISH)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "深圳 2025" in errors  # the stale message names the figure
    stored = shenzhen_filed()
    assert stored.invention == printed_cell(report, 1, "(深圳)", "invention")
    assert stored.design == printed_cell(report, 1, "(深圳)", "design") + 1


def test_a_valid_edit_is_written_with_its_history(client, chief, report):
    figure = shenzhen_filed()
    data = opened_form(client, figure) | {"invention": printed_cell(report, 1, "(深圳)", "invention") - 5}
    response = client.post(change_url(figure), data, **ENGLISH)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert shenzhen_filed().invention == printed_cell(report, 1, "(深圳)", "invention") - 5
    assert figure.history.filter(history_user=chief).count() == 1


def test_the_service_refuses_a_stale_version_and_a_user_without_permission(report):
    figure = shenzhen_filed()
    viewer = UserFactory(username="figures-viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_regionpatentfigure"))
    figure.invention -= 1
    with pytest.raises(services.FigureRefused) as refused:
        services.save_figure(figure, viewer, services.figure_version(shenzhen_filed()))
    assert refused.value.status == 403
    editor = UserFactory(username="figures-editor", is_staff=True, is_superuser=True)
    with pytest.raises(services.FigureRefused) as refused:
        services.save_figure(figure, editor, "an old version")
    assert refused.value.status == 409
    assert shenzhen_filed().invention == printed_cell(report, 1, "(深圳)", "invention")
