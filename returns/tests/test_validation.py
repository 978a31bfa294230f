"""Each check made on submission, and that a draft keeps whatever was typed."""

from decimal import Decimal

import pytest

from returns import services
from returns.sheet import build_sheet
from review import services as review
from review.models import Action, State
from statistics.models import Indicator, RegionTrademarkFigure
from statistics.tests.conftest import Report
from tests.contracts.factories import step

from .conftest import YEAR, complete_values
from .factories import ReturnPeriodFactory


@pytest.fixture
def draft(beijing, officer, entered_codes):
    annual_return = services.start_return(beijing, YEAR, officer)
    return services.save_values(annual_return, officer, annual_return.version, complete_values(entered_codes)).record


def submit_problems(annual_return, officer) -> list[str]:
    with pytest.raises(review.Invalid) as refused:
        review.transition(annual_return, Action.SUBMIT, officer, expected_version=annual_return.version)
    assert type(annual_return).objects.get(pk=annual_return.pk).state == State.DRAFT
    return refused.value.messages


def edit(annual_return, officer, values=None, notes=None):
    """Save ``values`` and ``notes`` on ``annual_return``; the fresh return, as ``save_values`` gives it."""
    return services.save_values(annual_return, officer, annual_return.version, values or {}, notes or {}).record


@pytest.mark.django_db
def test_a_complete_return_can_be_submitted(draft, officer):
    draft = review.transition(draft, Action.SUBMIT, officer, expected_version=draft.version).target
    assert draft.state == State.SUBMITTED
    assert draft.submitted_at is not None


@pytest.mark.django_db
def test_every_missing_value_is_listed(draft, officer):
    draft = edit(draft, officer, {"R01": "", "R06": " ", "D_GDP": ""})
    problems = submit_problems(draft, officer)
    assert len(problems) == 3
    assert any("法院知识产权民事一审案件结案量" in problem and "必须填写" in problem for problem in problems)
    assert any("专利行政执法案件量" in problem for problem in problems)
    assert any("地区生产总值" in problem for problem in problems)


@pytest.mark.django_db
def test_negative_values_are_refused(draft, officer):
    draft = edit(draft, officer, {"R03": "-4"})
    [problem] = submit_problems(draft, officer)
    assert "检察机关批准逮捕侵犯知识产权犯罪案件量" in problem and "-4" in problem and "负数" in problem


@pytest.mark.django_db
def test_entered_percentages_lie_between_0_and_100(draft, officer):
    draft = edit(draft, officer, {"R02": "100.5"})
    [problem] = submit_problems(draft, officer)
    assert "知识产权民事一审案件服判息诉率" in problem and "100.5" in problem
    draft = edit(draft, officer, {"R02": "100"})
    review.transition(draft, Action.SUBMIT, officer, expected_version=draft.version)


@pytest.mark.django_db
def test_computed_percentages_lie_between_0_and_100(draft, officer):
    # 专利密集型产业增加值占 GDP 比重 = value added / GDP × 100: value added above the GDP is impossible.
    draft = edit(draft, officer, {"R42": "30000", "D_GDP": "20000"})
    problems = submit_problems(draft, officer)
    assert any("专利密集型产业增加值占 GDP比重" in problem and "150" in problem for problem in problems)


@pytest.mark.django_db
def test_text_that_is_not_a_number_is_kept_in_the_draft_and_refused_on_submit(draft, officer):
    draft = edit(draft, officer, {"R05": "about 300"})
    row = build_sheet(draft).row("R05")
    assert row.text == "about 300" and row.value is None
    [problem] = submit_problems(draft, officer)
    assert "about 300" in problem


@pytest.mark.django_db
def test_national_statistics_are_taken_from_the_approved_figures(draft):
    printed = Report()[7].value("北京", YEAR, "年末有效注册量")  # as printed in 表 7
    assert build_sheet(draft).row("R24").value == Decimal(printed)


@pytest.mark.django_db
def test_national_statistics_must_equal_the_approved_figures(draft, officer, beijing):
    figure = RegionTrademarkFigure.objects.get(region=beijing, year=YEAR)
    figure.in_force += 7
    figure.save()
    [problem] = submit_problems(draft, officer)
    assert "商标有效注册量" in problem and f"{figure.in_force:,}" in problem  # numbers read with separators
    draft = edit(draft, officer)  # saving takes the corrected figure over
    review.transition(draft, Action.SUBMIT, officer, expected_version=draft.version)


@pytest.mark.django_db
def test_officers_cannot_type_national_or_computed_values(draft, officer):
    with pytest.raises(review.Invalid, match="不由省份填写"):
        edit(draft, officer, {"R24": "1"})
    with pytest.raises(review.Invalid, match="不由省份填写"):
        edit(draft, officer, {"R19": "1"})


@pytest.fixture
def last_year(beijing, officer, reviewer, entered_codes):
    """2024's approved return of the same region, every typed value 10."""
    ReturnPeriodFactory(year=YEAR - 1)  # returns are started in open reporting periods only
    annual_return = services.start_return(beijing, YEAR - 1, officer)
    annual_return = services.save_values(
        annual_return, officer, annual_return.version, complete_values(entered_codes)
    ).record
    annual_return = step(annual_return, Action.SUBMIT, officer)
    annual_return = step(annual_return, Action.APPROVE, reviewer)
    return annual_return


@pytest.mark.django_db
def test_a_change_beyond_the_threshold_needs_a_note(last_year, draft, officer):
    draft = edit(draft, officer, {"R01": "15.01"})  # +50.1 % against 10
    [problem] = submit_problems(draft, officer)
    assert "法院知识产权民事一审案件结案量" in problem and "超过 50%" in problem and "说明" in problem
    draft = edit(draft, officer, notes={"R01": "a new IP court opened"})
    review.transition(draft, Action.SUBMIT, officer, expected_version=draft.version)


@pytest.mark.django_db
def test_a_change_within_the_threshold_needs_no_note(last_year, draft, officer):
    draft = edit(draft, officer, {"R01": "15", "R03": "5"})  # +50 % and −50 %: not beyond
    review.transition(draft, Action.SUBMIT, officer, expected_version=draft.version)


@pytest.mark.django_db
def test_the_threshold_is_configurable_per_indicator(last_year, draft, officer):
    Indicator.objects.filter(code="R01").update(change_threshold=Decimal("20"))
    draft = edit(draft, officer, {"R01": "12.5"})  # +25 %
    [problem] = submit_problems(draft, officer)
    assert "超过 20%" in problem
    Indicator.objects.filter(code="R01").update(change_threshold=Decimal("30"))
    review.transition(draft, Action.SUBMIT, officer, expected_version=draft.version)


@pytest.mark.django_db
def test_the_default_threshold_is_a_setting(last_year, draft, officer, settings):
    settings.RETURN_CHANGE_THRESHOLD = 10
    draft = edit(draft, officer, {"R01": "11.5"})
    [problem] = submit_problems(draft, officer)
    assert "超过 10%" in problem


@pytest.mark.django_db
def test_sheet_shows_last_years_approved_value_and_the_change(last_year, draft, officer):
    draft = edit(draft, officer, {"R01": "12"})
    row = build_sheet(draft).row("R01")
    assert row.last_year == Decimal("10")
    assert row.change == Decimal("20")
    computed = build_sheet(draft).row("R19")  # 18 / population, both 10 in each year
    assert computed.value == Decimal("1") and computed.last_year == Decimal("1")


@pytest.mark.django_db
def test_sheet_is_built_with_a_fixed_number_of_queries(last_year, draft, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        sheet = build_sheet(draft)
        assert len(sheet.rows) == Indicator.objects.filter(framework="regional").count()


@pytest.mark.django_db
def test_registry_counts_are_filled_in_from_the_approved_registry(draft, beijing):
    from protection.services import operating_count

    sheet = build_sheet(draft)
    for code, what in (("R13", "centres"), ("R14", "platforms")):
        count = operating_count(beijing, YEAR, what)
        assert sheet.row(code).value == (None if count is None else Decimal(count))
        assert not sheet.row(code).entered
    assert sheet.row("R13").value is not None  # the report names 北京's national protection centre
