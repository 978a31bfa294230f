"""Properties of the scoring engine that must hold for any inputs (hypothesis draws the inputs).

Complete data are used where a property only holds without imputation: with the group-mean rule, a province's
value feeds its neighbours' imputed values, which can move the minimum it is normalised against.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation.engine import (
    Aggregation,
    Chaining,
    MissingRule,
    NationalMethod,
    Normalisation,
    RegionalMethod,
    Tree,
    compute_national,
    compute_regional,
    rank_uncertainty,
)

TREE = Tree.build(
    [("a1", "A"), ("a2", "A"), ("b1", "B"), ("b2", "B"), ("c1", "C")], [("A", "K1"), ("B", "K1"), ("C", "K2")]
)
INDICATORS = TREE.n_indicators
DIRECTIONS = np.array([1, -1, 1, 1, -1])
CROSS_SECTIONAL = [Normalisation.MIN_MAX, Normalisation.Z_SCORE, Normalisation.FRONTIER]

value = st.integers(min_value=1, max_value=10_000).map(float)


@st.composite
def panels(draw, years=1):
    provinces = draw(st.integers(min_value=2, max_value=7))
    flat = draw(st.lists(value, min_size=provinces * INDICATORS * years, max_size=provinces * INDICATORS * years))
    return np.array(flat).reshape(provinces, INDICATORS, years)


weights = st.lists(st.floats(min_value=0.05, max_value=5.0), min_size=INDICATORS, max_size=INDICATORS).map(np.array)
group_weights = st.lists(st.floats(min_value=0.05, max_value=5.0), min_size=3, max_size=3).map(np.array)
pillar_weights = st.lists(st.floats(min_value=0.05, max_value=5.0), min_size=2, max_size=2).map(np.array)


def method(normalisation=Normalisation.MIN_MAX, aggregation=Aggregation.ARITHMETIC, **kwargs):
    return RegionalMethod(normalisation=normalisation, aggregation=aggregation, missing_rule=MissingRule.OMIT, **kwargs)


def scores(values, the_method, years=(2025,)):
    return compute_regional(values, None, np.array(years), DIRECTIONS, TREE, the_method)


@settings(max_examples=60, deadline=None)
@given(
    panels(),
    st.sampled_from(CROSS_SECTIONAL),
    st.sampled_from(list(Aggregation)),
    st.data(),
    weights,
)
def test_raising_a_higher_is_better_indicator_never_lowers_the_province_score(
    values, normalisation, aggregation, data, indicator_weights
):
    province = data.draw(st.integers(min_value=0, max_value=values.shape[0] - 1))
    indicator = data.draw(st.sampled_from([n for n in range(INDICATORS) if DIRECTIONS[n] > 0]))
    raise_by = data.draw(st.integers(min_value=1, max_value=10_000))
    the_method = method(normalisation, aggregation, indicator_weights=indicator_weights)
    before = scores(values, the_method)
    raised = values.copy()
    raised[province, indicator, 0] += raise_by
    after = scores(raised, the_method)
    assert after.composite[province, 0] >= before.composite[province, 0] - 1e-9
    pillar = TREE.pillar_of_indicator[indicator]
    assert after.pillars[province, pillar, 0] >= before.pillars[province, pillar, 0] - 1e-9


@settings(max_examples=60, deadline=None)
@given(panels(years=2), weights, group_weights, pillar_weights, st.data(), st.sampled_from(list(MissingRule)))
def test_effective_weights_sum_to_one(values, indicator_weights, wg, wk, data, rule):
    missing = np.array(data.draw(st.lists(st.booleans(), min_size=values.size, max_size=values.size))).reshape(
        values.shape
    )
    the_method = RegionalMethod(
        indicator_weights=indicator_weights, group_weights=wg, pillar_weights=wk, missing_rule=rule
    )
    result = compute_regional(values, missing, np.array([2024, 2025]), DIRECTIONS, TREE, the_method)
    totals = result.effective_weight.sum(axis=1)
    scored = np.isfinite(result.composite)
    np.testing.assert_allclose(totals[scored], 1.0)
    assert (totals[~scored] == 0).all()
    np.testing.assert_allclose(result.points.sum(axis=1)[scored], result.composite[scored])


@settings(max_examples=60, deadline=None)
@given(panels(years=2), st.data(), st.floats(min_value=1e-3, max_value=1e3), weights)
def test_min_max_scores_do_not_change_when_a_unit_is_rescaled(values, data, factor, indicator_weights):
    indicator = data.draw(st.integers(min_value=0, max_value=INDICATORS - 1))
    the_method = method(indicator_weights=indicator_weights)
    before = scores(values, the_method, years=(2024, 2025))
    rescaled = values.copy()
    rescaled[:, indicator, :] *= factor
    after = scores(rescaled, the_method, years=(2024, 2025))
    np.testing.assert_allclose(after.normalised, before.normalised, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(after.composite, before.composite, rtol=1e-9, atol=1e-9)


national_values = st.lists(st.floats(min_value=0.01, max_value=1e6), min_size=4 * 5, max_size=4 * 5)


@settings(max_examples=80, deadline=None)
@given(
    national_values,
    st.sampled_from(list(Chaining)),
    st.integers(min_value=2021, max_value=2025),
    st.lists(st.sampled_from([1, -1]), min_size=4, max_size=4),
)
def test_the_national_index_is_100_in_its_base_year(flat, chaining, base_year, directions):
    values = np.array(flat).reshape(4, 5)
    result = compute_national(
        values,
        None,
        np.arange(2021, 2026),
        directions,
        [0, 0, 1, 2],
        NationalMethod(base_year=base_year, chaining=chaining),
    )
    position = base_year - 2021
    assert abs(result.composite[position] - 100) < 1e-9
    np.testing.assert_allclose(result.pillars[:, position], 100.0)
    moved = result.rebased(2023)
    assert abs(moved.composite[2] - 100) < 1e-9
    np.testing.assert_allclose(moved.composite_links[1:], result.composite_links[1:], rtol=1e-9)


@settings(max_examples=30, deadline=None)
@given(panels(), weights)
def test_geometric_never_exceeds_arithmetic(values, indicator_weights):
    """Weighted geometric ≤ weighted arithmetic mean at every level, so at the composite (min-max to 60–100)."""
    arithmetic = scores(values, method(indicator_weights=indicator_weights))
    geometric = scores(values, method(aggregation=Aggregation.GEOMETRIC, indicator_weights=indicator_weights))
    assert (geometric.composite <= arithmetic.composite + 1e-9).all()


def test_rank_intervals_contain_the_rank_and_are_reproducible():
    rng = np.random.default_rng(7)
    values = rng.lognormal(3, 1, size=(12, INDICATORS, 2))
    the_method = method(mc_draws=1000)
    result = scores(values, the_method, years=(2024, 2025))
    first = rank_uncertainty(values, None, np.array([2024, 2025]), DIRECTIONS, TREE, the_method)
    second = rank_uncertainty(values, None, np.array([2024, 2025]), DIRECTIONS, TREE, the_method)
    assert first.draws == 1000
    assert (first.low <= first.high).all()
    assert (first.low >= 1).all() and (first.high <= 12).all()
    np.testing.assert_array_equal(first.low, second.low)
    np.testing.assert_array_equal(first.unstable, (first.high - first.low) >= the_method.unstable_width)
    # The method's own ranking is one the draws can produce: its ranks fall inside (or at) the interval's bounds for
    # nearly every province.
    inside = (result.rank >= first.low) & (result.rank <= first.high)
    assert inside.mean() >= 0.9


def test_rank_intervals_are_a_point_when_one_indicator_decides():
    """With a single indicator and min-max/z-score/frontier all monotone, no draw can change the order."""
    tree = Tree.build([("x", "G")], [("G", "K")])
    values = np.array([[5.0], [3.0], [9.0], [1.0]])[:, :, None]
    the_method = RegionalMethod(missing_rule=MissingRule.OMIT)
    result = rank_uncertainty(values, None, np.array([2025]), [1], tree, the_method)
    assert result.low[:, 0].tolist() == [2, 3, 1, 4]
    assert result.high[:, 0].tolist() == [2, 3, 1, 4]
    assert not result.unstable.any()
