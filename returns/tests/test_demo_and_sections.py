import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from returns import services
from returns.sections import approved_return_section
from review import services as review
from review.models import Action
from review.roles import Role, officer_region, roles_of
from tests.contracts.factories import step

from .conftest import YEAR, complete_values


@pytest.mark.django_db
def test_demo_accounts_have_their_roles_and_regions(settings, monkeypatch):
    # The index's demo data, which the command also makes, has its own test (evaluation/tests/test_demo_index.py).
    monkeypatch.setattr("evaluation.demo.create_demo_index_data", lambda stdout: {"returns": 0, "edition": None})
    settings.DEBUG = True
    call_command("create_demo_accounts", stdout=io.StringIO())
    users = get_user_model().objects
    assert roles_of(users.get(username="admin")) == {Role.ADMINISTRATOR}
    assert roles_of(users.get(username="reviewer")) == {Role.REVIEWER}
    assert officer_region(users.get(username="officer-beijing")).name_zh == "北京"
    assert officer_region(users.get(username="officer-guangdong")).name_zh == "广东"


@pytest.mark.django_db
def test_province_page_section_shows_only_an_approved_return(beijing, officer, reviewer, entered_codes):
    annual_return = services.start_return(beijing, YEAR, officer)
    annual_return = services.save_values(
        annual_return, officer, annual_return.version, complete_values(entered_codes, "12")
    ).record
    annual_return = step(annual_return, Action.SUBMIT, officer)
    assert approved_return_section(beijing, YEAR) is None
    review.transition(annual_return, Action.APPROVE, reviewer, expected_version=annual_return.version)
    _title, _template, context = approved_return_section(beijing, YEAR)
    assert context["sheet"].row("R01").value == 12


@pytest.mark.django_db
def test_province_page_shows_the_approved_return(client, beijing, officer, reviewer, entered_codes):
    annual_return = services.start_return(beijing, YEAR, officer)
    annual_return = services.save_values(
        annual_return, officer, annual_return.version, complete_values(entered_codes, "12")
    ).record
    annual_return = step(annual_return, Action.SUBMIT, officer)
    review.transition(annual_return, Action.APPROVE, reviewer, expected_version=annual_return.version)
    page = client.get(f"/province/{beijing.code}/", {"year": YEAR})
    assert page.status_code == 200
    assert 'id="approved-R01"' in page.content.decode()
