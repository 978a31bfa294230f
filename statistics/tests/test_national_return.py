"""The national return: headquarters enters the 表 3 values of a year under the one review workflow (issue 13 item 3,
issue 17 item 2).

Headquarters staff prepare and submit, another headquarters user approves, officers never see it; every edit names
the version it was made against. The values the reports print are pre-filled with their sentences (No. 26 保护社会
满意度: 82.81 for 2025, 82.36 for 2024), No. 21 comes from the registry's published totals when no sentence gives it,
and approved values are the series' figures for the year: ``national_indicator_values`` returns them.
"""

from decimal import Decimal

import pytest

from review import services as review
from review.models import State
from review.roles import Role
from statistics import national_services, selectors
from statistics.models.national import NationalFigure, NationalReturn
from statistics.tests.factories import RegionFactory
from tests.contracts.factories import person

pytestmark = pytest.mark.django_db

YEAR = 2030  # a year no report covers: what headquarters enters is all there is


@pytest.fixture
def preparer():
    return person(Role.REVIEWER)


@pytest.fixture
def approver():
    return person(Role.REVIEWER)


def submitted(national_return, user):
    return national_services.transition(national_return, "submit", user, version=national_return.version).target


# ---------------------------------------------------------------------------------------------------------------
# Pre-filled values
# ---------------------------------------------------------------------------------------------------------------


def test_printed_values_are_prefilled_with_their_sentences():
    values_2025 = selectors.prefilled_indicator_values(2025)
    values_2024 = selectors.prefilled_indicator_values(2024)
    assert values_2025["N26"].value == Decimal("82.81")
    assert "82.81" in values_2025["N26"].source
    assert values_2024["N26"].value == Decimal("82.36")
    assert "82.36" in values_2024["N26"].source
    assert values_2025["N27"].value == 16 and values_2024["N27"].value == 14  # 每万人口高价值发明专利拥有量


def test_values_printed_in_ten_thousands_are_given_in_the_indicators_unit():
    """3.7 万余起 criminal cases (表 3 No. 15, counted in 件) is 37,000."""
    assert selectors.prefilled_indicator_values(2024)["N15"].value == 37000


def test_no_21_comes_from_the_registry_when_no_sentence_gives_it():
    """The published registry total (protection app) answers through the hook, without statistics importing it."""
    NationalFigure.objects.filter(series__indicator__code="N21").delete()
    sourced = selectors.prefilled_indicator_values(2025)["N21"]
    assert (sourced.value, sourced.origin) == (129, "registry")
    assert "129" in sourced.source
    assert selectors.national_indicator_values(2024)["N21"] == 124


# ---------------------------------------------------------------------------------------------------------------
# The workflow
# ---------------------------------------------------------------------------------------------------------------


def test_headquarters_prepares_another_approves_and_the_values_become_the_years_figures(preparer, approver):
    national_return = national_services.create_return(preparer, YEAR)
    national_return = national_services.save_values(
        national_return, preparer, {"N15": "45,000", "N26": "83.1"}, {}, version=1
    )
    assert "N15" not in selectors.national_indicator_values(YEAR)  # open: not yet the year's value
    assert not selectors.public_figures().filter(year=YEAR).exists()

    national_return = submitted(national_return, preparer)
    with pytest.raises(review.NotAllowed):
        national_services.transition(national_return, "approve", preparer, version=national_return.version)
    national_return = national_services.transition(
        national_return, "approve", approver, version=national_return.version
    ).target

    assert national_return.state == State.APPROVED
    assert selectors.national_indicator_values(YEAR) == {"N15": Decimal("45000"), "N26": Decimal("83.1")}
    figures = selectors.public_figures().filter(year=YEAR)
    assert {figure.series.indicator.code for figure in figures} == {"N15", "N26"}
    assert NationalFigure.objects.filter(year=YEAR).count() == 2  # one copy: the return's figures are the figures


def test_an_approved_value_replaces_the_printed_one(preparer, approver):
    national_return = NationalReturn.objects.create(year=2025)
    national_return = national_services.save_values(
        national_return, preparer, {"N26": "82.9"}, {"N26": "revised survey"}, version=1
    )
    assert selectors.national_indicator_values(2025)["N26"] == Decimal("82.81")
    national_return = submitted(national_return, preparer)
    national_services.transition(national_return, "approve", approver, version=national_return.version)
    assert selectors.national_indicator_values(2025)["N26"] == Decimal("82.9")


def test_an_approved_return_is_locked(preparer, approver):
    national_return = national_services.create_return(preparer, YEAR)
    national_return = national_services.save_values(national_return, preparer, {"N15": "1"}, {}, version=1)
    national_return = submitted(national_return, preparer)
    national_return = national_services.transition(
        national_return, "approve", approver, version=national_return.version
    ).target
    with pytest.raises(review.NotAllowed):
        national_services.save_values(national_return, preparer, {"N15": "2"}, {}, version=national_return.version)


def test_officers_neither_create_nor_see_nor_change_a_national_return(preparer):
    officer = person(Role.OFFICER, region=RegionFactory())
    with pytest.raises(review.NotAllowed):
        national_services.create_return(officer, YEAR)
    national_return = national_services.create_return(preparer, YEAR)
    assert not review.can_view(officer, national_return)
    assert not review.visible(officer, NationalReturn.objects.all()).exists()
    with pytest.raises(review.NotAllowed):
        national_services.save_values(national_return, officer, {"N15": "1"}, {}, version=national_return.version)


def test_an_edit_against_an_older_version_is_refused_and_writes_nothing(preparer):
    national_return = national_services.create_return(preparer, YEAR)
    national_return = national_services.save_values(national_return, preparer, {"N15": "1"}, {}, version=1)
    with pytest.raises(review.Stale):
        national_services.save_values(national_return, preparer, {"N15": "2"}, {}, version=1)
    assert NationalFigure.objects.get(national_return=national_return).value == 1


def test_an_edit_without_a_version_is_refused(preparer):
    national_return = national_services.create_return(preparer, YEAR)
    with pytest.raises(national_services.NationalReturnError) as refused:
        national_services.save_values(national_return, preparer, {"N15": "1"}, {}, version=None)
    assert refused.value.status == 400
    with pytest.raises(national_services.NationalReturnError):
        national_services.transition(national_return, "submit", preparer, version=None)


@pytest.mark.parametrize(
    ("values", "says"),
    [({"N15": "-3"}, "N15"), ({"N15": "abc"}, "N15"), ({"X99": "1"}, "X99"), ({"R05": "1"}, "R05")],
)
def test_bad_values_are_refused_with_where_and_nothing_is_written(preparer, values, says):
    national_return = national_services.create_return(preparer, YEAR)
    with pytest.raises(national_services.NationalReturnError) as refused:
        national_services.save_values(national_return, preparer, {"N16": "5", **values}, {}, version=1)
    assert says in refused.value.messages[0]
    national_return.refresh_from_db()
    assert national_return.version == 1
    assert not national_return.figures.exists()


def test_one_return_per_year(preparer):
    national_services.create_return(preparer, YEAR)
    with pytest.raises(national_services.NationalReturnError):
        national_services.create_return(preparer, YEAR)


def test_an_empty_value_removes_the_entered_one(preparer):
    national_return = national_services.create_return(preparer, YEAR)
    national_return = national_services.save_values(national_return, preparer, {"N15": "1", "N16": "2"}, {}, version=1)
    national_return = national_services.save_values(national_return, preparer, {"N15": ""}, {}, version=2)
    assert [figure.series.indicator.code for figure in national_return.figures.all()] == ["N16"]


def test_a_return_with_no_value_at_all_cannot_be_submitted(preparer):
    national_return = national_services.create_return(preparer, YEAR)
    with pytest.raises(review.Invalid) as refused:
        national_services.transition(national_return, "submit", preparer, version=national_return.version)
    assert str(YEAR) in refused.value.messages[0]


def test_saving_leaves_the_given_return_and_returns_the_fresh_one(preparer):
    national_return = national_services.create_return(preparer, YEAR)
    saved = national_services.save_values(national_return, preparer, {"N15": "1"}, {}, version=national_return.version)
    assert saved is not national_return and national_return.version == 1  # the caller's object, as it was
    assert saved.version == 2 == NationalReturn.objects.get(pk=national_return.pk).version
