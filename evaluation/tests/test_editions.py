"""Editions: computed from approved returns only, stored with the edition, published through the one workflow,
never changed once published, revised by a new edition, hidden until the embargo, and marked when demo data.

The worked example (numbers by hand; the rest of the 62 indicators have no value and are left out, so each
first-level group is decided by one indicator):

    returns of 2024 (evaluation year 2025, data lag 1), approved:
        北京 R01 = 10, R18 = 50;  山西 R01 = 20, R18 = 30;  广东 R01 = 40, R18 = 40
    a SUBMITTED (not approved) return of 上海 with R01 = 1000, R18 = 1000 — must not count.

    min-max to [0, 100]: R01 → 北京 0, 山西 33.33, 广东 100;  R18 → 北京 100, 山西 0, 广东 50
    知识产权保护 = R01's score, 市场运行 = R18's score; 发展环境 has no indicator with a value: its weight is re-spread.
    first-level weights 0.6 / 0.4 (/ 发展环境 1, re-spread):
        北京 0.6·0 + 0.4·100 = 40;  山西 0.6·33.33 + 0.4·0 = 20;  广东 0.6·100 + 0.4·50 = 80
    ranks: 广东 1, 北京 2, 山西 3.  Mean (平均值) 46.67, median (中位数) 40;
    东部 (北京, 广东) 60, 中部 (山西) 20, 京津冀 (北京) 40, 粤港澳大湾区 (广东) 80.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from evaluation import edition_selectors, edition_services
from evaluation.models import DemoReturn, Edition, EditionAggregate, EditionScore, WeightsSource
from returns.models import AnnualReturn, IndicatorValue
from returns.tests.factories import AnnualReturnFactory
from review import services as review
from review.models import Action, State
from review.roles import Role
from statistics.models import Indicator, Region
from tests.contracts.factories import person

WEIGHTS = {"pillars": {"知识产权保护": 0.6, "市场运行": 0.4, "发展环境": 1.0}}
EXAMPLE = {"110000": (10, 50), "140000": (20, 30), "440000": (40, 40)}


def returned(code: str, year: int, values: dict, state=State.APPROVED) -> AnnualReturn:
    annual_return = AnnualReturnFactory(region=Region.objects.get(code=code), year=year, state=state)
    indicators = {indicator.code: indicator for indicator in Indicator.objects.filter(code__in=values)}
    IndicatorValue.objects.bulk_create(
        IndicatorValue(annual_return=annual_return, indicator=indicators[code], value=Decimal(value))
        for code, value in values.items()
    )
    return annual_return


@pytest.fixture
def example_returns(db):
    made = [returned(code, 2024, {"R01": r01, "R18": r18}) for code, (r01, r18) in EXAMPLE.items()]
    returned("310000", 2024, {"R01": 1000, "R18": 1000}, state=State.SUBMITTED)
    return made


@pytest.fixture
def preparer(db):
    return person(Role.REVIEWER)


@pytest.fixture
def approver(db):
    return person(Role.REVIEWER)


def computed_edition(preparer, **method) -> Edition:
    edition = edition_services.create_edition(
        preparer, 2025, weights=WEIGHTS, scale_low=0.0, scale_high=100.0, mc_draws=200, **method
    )
    return edition_services.compute_edition(edition, preparer, edition.version)


def composite(edition, code):
    return EditionScore.objects.get(edition=edition, region__code=code, year=2025, component=None)


@pytest.mark.django_db
def test_scores_from_the_approved_returns_by_hand(example_returns, preparer):
    edition = computed_edition(preparer)
    assert composite(edition, "110000").value == pytest.approx(40)
    assert composite(edition, "140000").value == pytest.approx(20)
    assert composite(edition, "440000").value == pytest.approx(80)
    assert [composite(edition, code).rank for code in ("440000", "110000", "140000")] == [1, 2, 3]
    assert not EditionScore.objects.filter(edition=edition, region__code="310000").exists()
    assert edition.inputs["evaluation_years"] == [2025]
    assert edition.inputs["provinces"] == 31
    assert sorted(edition.inputs["returns"]) == ["110000/2024", "140000/2024", "440000/2024"]


@pytest.mark.django_db
def test_averages_by_hand(example_returns, preparer):
    edition = computed_edition(preparer)
    averages = {
        aggregate.scope.name_zh: aggregate.value
        for aggregate in EditionAggregate.objects.filter(edition=edition, year=2025, component=None)
    }
    assert averages["平均值"] == pytest.approx(140 / 3)
    assert averages["中位数"] == pytest.approx(40)
    assert averages["东部"] == pytest.approx(60)
    assert averages["中部"] == pytest.approx(20)
    assert averages["京津冀"] == pytest.approx(40)
    assert averages["粤港澳大湾区"] == pytest.approx(80)
    assert "西部" not in averages  # no western province has a return: no average is made up


@pytest.mark.django_db
def test_rank_intervals_are_stored_with_every_score(example_returns, preparer):
    edition = computed_edition(preparer)
    for score in EditionScore.objects.filter(edition=edition, component=None):
        assert 1 <= score.rank_low <= score.rank_high <= 3
    assert edition.inputs["mc_draws"] == 200


@pytest.mark.django_db
def test_default_method_uses_the_fitted_first_level_weights(example_returns, preparer):
    from evaluation.selectors import fitted_first_level_weights

    edition = edition_services.create_edition(preparer, 2025)
    fitted = fitted_first_level_weights(2025)
    assert edition.weights_source == WeightsSource.FITTED
    assert edition.weights["pillars"] == fitted["weights"]
    assert edition.weight_fit["regional"]["residuals"] == fitted["residuals"]
    assert edition.weight_fit["year"] == 2025


@pytest.mark.django_db
def test_publication_goes_through_the_one_workflow_and_freezes_the_edition(example_returns, preparer, approver):
    edition = edition_services.create_edition(preparer, 2025, weights=WEIGHTS, mc_draws=200)
    with pytest.raises(review.Invalid, match="2025-1"):
        review.transition(edition, Action.SUBMIT, preparer, expected_version=edition.version)
    edition = edition_services.compute_edition(edition, preparer, edition.version)
    edition = review.transition(edition, Action.SUBMIT, preparer, expected_version=edition.version).target
    with pytest.raises(review.NotAllowed):
        review.transition(edition, Action.APPROVE, preparer, expected_version=edition.version)
    edition = review.transition(edition, Action.APPROVE, approver, expected_version=edition.version).target
    edition.refresh_from_db()
    assert edition.state == State.APPROVED and edition.published_at is not None
    scores_before = list(EditionScore.objects.filter(edition=edition).values_list("region_id", "value"))

    with pytest.raises(review.NotAllowed):
        edition_services.compute_edition(edition, approver, edition.version)
    with pytest.raises(review.NotAllowed):
        edition_services.update_method(edition, approver, edition.version, normalisation="z_score")
    administrator = person(Role.ADMINISTRATOR)
    with pytest.raises(review.Invalid):
        review.transition(edition, Action.REOPEN, administrator, comment="change it", expected_version=edition.version)
    edition.refresh_from_db()
    assert edition.state == State.APPROVED
    assert list(EditionScore.objects.filter(edition=edition).values_list("region_id", "value")) == scores_before


@pytest.mark.django_db
def test_officers_never_prepare_nor_see_editions(example_returns, preparer):
    officer = person(Role.OFFICER, Region.objects.get(code="110000"))
    with pytest.raises(review.NotAllowed):
        edition_services.create_edition(officer, 2025)
    edition = computed_edition(preparer)
    assert not edition_selectors.visible_editions(officer).exists()
    with pytest.raises(review.NotAllowed):
        edition_services.compute_edition(edition, officer, edition.version)


@pytest.mark.django_db
def test_a_method_changed_after_computing_must_be_computed_again(example_returns, preparer):
    edition = computed_edition(preparer)
    edition = edition_services.update_method(edition, preparer, edition.version, normalisation="z_score")
    with pytest.raises(review.Invalid, match="2025-1"):
        review.transition(edition, Action.SUBMIT, preparer, expected_version=edition.version)
    edition = edition_services.compute_edition(edition, preparer, edition.version)
    edition = review.transition(edition, Action.SUBMIT, preparer, expected_version=edition.version).target
    assert edition.state == State.SUBMITTED


@pytest.mark.django_db
def test_a_bad_method_is_refused_saying_which_setting(example_returns, preparer):
    with pytest.raises(review.Invalid, match="normalisation"):
        edition_services.create_edition(preparer, 2025, normalisation="rank")
    with pytest.raises(review.Invalid, match="scale_high"):
        edition_services.create_edition(preparer, 2025, scale_low=100.0, scale_high=60.0)
    with pytest.raises(review.Invalid, match="知识产权保护"):
        edition_services.create_edition(preparer, 2025, weights={"pillars": {"知识产权保护": -1}})
    with pytest.raises(review.Invalid, match="weights"):
        edition_services.create_edition(preparer, 2025, weights="知识产权保护")  # any JSON value may come in
    with pytest.raises(review.Invalid, match="mc_normalisations"):
        edition_services.create_edition(preparer, 2025, mc_normalisations=5)
    assert not Edition.objects.exists()


@pytest.mark.django_db
def test_a_new_edition_logs_what_changed_and_warns(example_returns, preparer, approver):
    first = computed_edition(preparer)
    first = review.transition(first, Action.SUBMIT, preparer, expected_version=first.version).target
    first = review.transition(first, Action.APPROVE, approver, expected_version=first.version).target
    second = edition_services.new_edition(first, preparer, aggregation="geometric")
    assert (second.year, second.number, second.previous_id) == (2025, 2, first.pk)
    entry = second.revision_log.get()
    assert [change["field"] for change in entry.changes] == ["aggregation"]
    assert entry.changes[0]["before"] == "arithmetic" and entry.changes[0]["after"] == "geometric"
    assert entry.warnings[0]["kind"] == "method_changed"
    edition_services.compute_edition(second, preparer, second.version)
    # A geometric mean never exceeds the arithmetic one; 北京 has a 0 and drops to the geometric floor.
    assert composite(second, "110000").value < composite(first, "110000").value
    assert composite(first, "440000").value == pytest.approx(80)


@pytest.mark.django_db
def test_two_years_of_different_coverage_are_flagged_not_comparable(example_returns, preparer):
    for code, (r01, _r18) in EXAMPLE.items():
        returned(code, 2023, {"R01": r01})  # 2023 lacks R18
    edition = computed_edition(preparer)
    kinds = [warning["kind"] for warning in edition.inputs["warnings"]]
    assert "indicators_differ" in kinds
    warning = next(w for w in edition.inputs["warnings"] if w["kind"] == "indicators_differ")
    assert (warning["a"], warning["b"]) == (2024, 2025)
    assert "R18" in warning["codes"]
    assert edition.revision_log.get().warnings == edition.inputs["warnings"]


@pytest.mark.django_db
def test_last_years_value_fills_a_missing_one_and_is_flagged(example_returns, preparer):
    for code, (r01, r18) in EXAMPLE.items():
        returned(code, 2023, {"R01": r01, "R18": r18, "R02": 90})
    edition = computed_edition(preparer)
    assert edition.inputs["imputed"]["last_year"] == 3  # R02 of 2024, carried from 2023 for each province
    row = edition.indicator_scores.get(region__code="110000", year=2025, indicator__catalogue_indicator__code="R02")
    assert (row.flag, row.raw) == (2, 90)


@pytest.mark.django_db
def test_embargo_hides_a_published_edition_except_from_headquarters(example_returns, preparer, approver):
    edition = computed_edition(preparer)
    edition = edition_services.set_embargo(edition, preparer, edition.version, timezone.now() + timedelta(days=2))
    edition = review.transition(edition, Action.SUBMIT, preparer, expected_version=edition.version).target
    edition = review.transition(edition, Action.APPROVE, approver, expected_version=edition.version).target
    officer = person(Role.OFFICER, Region.objects.get(code="110000"))
    assert not edition_selectors.public_editions().exists()
    assert not edition_selectors.visible_editions(officer).exists()
    assert edition_selectors.visible_editions(preparer).get() == edition
    Edition.objects.filter(pk=edition.pk).update(embargo_until=timezone.now() - timedelta(minutes=1))
    assert edition_selectors.public_editions().get() == edition


@pytest.mark.django_db
def test_demo_returns_mark_the_edition(example_returns, preparer):
    DemoReturn.objects.create(annual_return=example_returns[0])
    edition = computed_edition(preparer)
    assert edition.uses_demo_data
    assert edition.inputs["demo_returns"] == 1


@pytest.mark.django_db
def test_national_index_from_headquarters_values_by_hand(example_returns, preparer, monkeypatch):
    """N15 and N16 (知识产权保护, higher is better, equal weights): 2021 = 10 and 5; 2022 = 11 and 5.
    Fixed base: 2022 = 100 · (0.5 · 11/10 + 0.5 · 5/5) = 105; the only sub-index with values is the composite."""
    values = {2021: {"N15": Decimal(10), "N16": Decimal(5)}, 2022: {"N15": Decimal(11), "N16": Decimal(5)}}
    monkeypatch.setattr("evaluation.inputs.national_values", lambda years: (values, ""))
    edition = computed_edition(preparer)
    scores = {(row.year, row.component_id): row for row in edition.national_scores.all()}
    assert scores[(2021, None)].value == pytest.approx(100)
    assert scores[(2022, None)].value == pytest.approx(105)
    assert scores[(2022, None)].link == pytest.approx(1.05)
    assert edition.inputs["national"]["years"] == [2021, 2022]


@pytest.mark.django_db
def test_nothing_to_compute_without_approved_returns(preparer):
    edition = edition_services.create_edition(preparer, 2025)
    with pytest.raises(review.Invalid, match="2024"):
        edition_services.compute_edition(edition, preparer, edition.version)
    edition.refresh_from_db()
    assert edition.computed_at is None and not edition.scores.exists()
