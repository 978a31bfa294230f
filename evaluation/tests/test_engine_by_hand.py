"""The scoring engine against examples worked by hand (the expected numbers come from the calculations below, not
from the code).

Regional example: 3 provinces (A, B, C), 4 indicators, two groups, one year.

    group G1 (first-level K1, weight 0.6): i1, i2 with weights 0.5, 0.5 — higher is better
    group G2 (first-level K2, weight 0.4): i3, i4 with weights 0.25, 0.75 — i3 higher is better, i4 LOWER is better

          i1   i2   i3   i4
    A     10   50    2    8
    B     20   30    6    4
    C     40   40    4    2

Min-max to [0, 100], per indicator across the provinces (i4 turned round: the lowest value is the best):

    i1: min 10, max 40 → A 0,   B 10/30 = 33.33, C 100
    i2: min 30, max 50 → A 100, B 0,             C 10/20 = 50
    i3: min 2,  max 6  → A 0,   B 100,           C 2/4 = 50
    i4: best 2, worst 8 → A 0,  B (8−4)/6 = 66.67, C 100

Sub-indices (K1 = G1, K2 = G2, as each first-level group has one second-level group):

    K1: A 0.5·0 + 0.5·100 = 50;    B 0.5·33.33 + 0 = 16.67;        C 0.5·100 + 0.5·50 = 75
    K2: A 0.25·0 + 0.75·0 = 0;     B 0.25·100 + 0.75·66.67 = 75;    C 0.25·50 + 0.75·100 = 87.5

Composite: A 0.6·50 + 0.4·0 = 30;  B 0.6·16.67 + 0.4·75 = 40;  C 0.6·75 + 0.4·87.5 = 80.
Ranks: C 1, B 2, A 3.  K1 ranks: C 1, A 2, B 3.  K2 ranks: C 1, B 2, A 3.
Effective weights: i1 0.6·0.5 = 0.3, i2 0.3, i3 0.4·0.25 = 0.1, i4 0.4·0.75 = 0.3 (sum 1).
B's points: i1 0.3·33.33 = 10, i2 0, i3 0.1·100 = 10, i4 0.3·66.67 = 20 (sum 40 = B's composite).
Means of the three: K1 (50 + 16.67 + 75)/3 = 47.22, composite (30 + 40 + 80)/3 = 50; median composite 40.

Left out (C's i2 missing, rule "omit"): i2 is normalised over A and B only (A 100, B 0); C's G1 is i1 alone = 100,
so C = 0.6·100 + 0.4·87.5 = 95, and C's effective weights are i1 0.6, i2 0, i3 0.1, i4 0.3.

Last year's value (two years; C's i2 missing in year 2, 40 in year 1; all else as in year 1): C's i2 becomes 40, so
year 2 equals year 1 and C's i2 is flagged LAST_YEAR.

National example: two indicators, one per first-level group, equal weights, 2021 = 100.

    x1 (higher is better): 100, 110, 121      x2 (lower is better): 50, 40, 40

Fixed base: 2022 = 100 · (0.5 · 110/100 + 0.5 · 50/40) = 100 · (0.55 + 0.625) = 117.5;
            2023 = 100 · (0.5 · 1.21 + 0.5 · 1.25) = 123.
Chain-linked: link 2022 = 0.5 · 1.1 + 0.5 · 1.25 = 1.175 → 117.5; link 2023 = 0.5 · 1.1 + 0.5 · 1.0 = 1.05 →
            117.5 · 1.05 = 123.375. Moved to base 2022: 2021 = 100 / 1.175 = 85.106, 2022 = 100, 2023 = 105; the
            links stay 1.175 and 1.05.
"""

import numpy as np
import pytest

from evaluation.engine import (
    Chaining,
    ImputeFlag,
    MissingRule,
    NationalMethod,
    RegionalMethod,
    Tree,
    compute_national,
    compute_regional,
    group_aggregates,
)

TREE = Tree.build([("i1", "G1"), ("i2", "G1"), ("i3", "G2"), ("i4", "G2")], [("G1", "K1"), ("G2", "K2")])
DIRECTIONS = np.array([1, 1, 1, -1])
VALUES = np.array([[10, 50, 2, 8], [20, 30, 6, 4], [40, 40, 4, 2]], dtype=float)[:, :, None]
METHOD = RegionalMethod(
    scale=(0.0, 100.0),
    indicator_weights=np.array([0.5, 0.5, 0.25, 0.75]),
    pillar_weights=np.array([0.6, 0.4]),
    missing_rule=MissingRule.OMIT,
)


def regional(values=VALUES, missing=None, years=(2025,), method=METHOD):
    return compute_regional(values, missing, np.array(years), DIRECTIONS, TREE, method)


def test_normalisation_by_hand():
    result = regional()
    expected = [[0, 100, 0, 0], [100 / 3, 0, 100, 200 / 3], [100, 50, 50, 100]]
    np.testing.assert_allclose(result.normalised[:, :, 0], expected)


def test_sub_indices_composite_and_ranks_by_hand():
    result = regional()
    np.testing.assert_allclose(result.pillars[:, :, 0], [[50, 0], [50 / 3, 75], [75, 87.5]])
    np.testing.assert_allclose(result.composite[:, 0], [30, 40, 80])
    assert result.rank[:, 0].tolist() == [3, 2, 1]
    assert result.pillar_rank[:, 0, 0].tolist() == [2, 3, 1]
    assert result.pillar_rank[:, 1, 0].tolist() == [3, 2, 1]


def test_effective_weights_and_points_by_hand():
    result = regional()
    np.testing.assert_allclose(result.effective_weight[:, :, 0], [[0.3, 0.3, 0.1, 0.3]] * 3)
    np.testing.assert_allclose(result.points[1, :, 0], [10, 0, 10, 20])


def test_means_and_medians_by_hand():
    result = regional()
    aggregates = group_aggregates(result.pillars, {"all": np.array([True, True, True])})
    np.testing.assert_allclose(aggregates["all"]["mean"][:, 0], [(50 + 50 / 3 + 75) / 3, (0 + 75 + 87.5) / 3])
    composite = group_aggregates(result.composite, {"all": [0, 1, 2], "AB": [0, 1]})
    assert composite["all"]["mean"][0] == pytest.approx(50)
    assert composite["all"]["median"][0] == pytest.approx(40)
    assert composite["AB"]["median"][0] == pytest.approx(35)


def test_left_out_value_respreads_its_weight_by_hand():
    missing = np.zeros(VALUES.shape, dtype=bool)
    missing[2, 1, 0] = True
    result = regional(missing=missing)
    assert result.composite[2, 0] == pytest.approx(95)
    np.testing.assert_allclose(result.effective_weight[2, :, 0], [0.6, 0, 0.1, 0.3])
    assert result.flags[2, 1, 0] == ImputeFlag.OMITTED
    np.testing.assert_allclose(result.normalised[:2, 1, 0], [100, 0])


def test_last_years_value_by_hand():
    values = np.concatenate([VALUES, VALUES], axis=2)
    missing = np.zeros(values.shape, dtype=bool)
    missing[2, 1, 1] = True
    values[2, 1, 1] = np.nan
    method = RegionalMethod(
        scale=(0.0, 100.0),
        indicator_weights=METHOD.indicator_weights,
        pillar_weights=METHOD.pillar_weights,
        missing_rule=MissingRule.LAST_YEAR,
    )
    result = regional(values=values, missing=missing, years=(2024, 2025), method=method)
    assert result.raw[2, 1, 1] == 40
    assert result.flags[2, 1, 1] == ImputeFlag.LAST_YEAR
    assert (result.flags[result.flags != ImputeFlag.LAST_YEAR] == ImputeFlag.OBSERVED).all()
    np.testing.assert_allclose(result.composite[:, 1], [30, 40, 80])


NATIONAL_VALUES = np.array([[100, 110, 121], [50, 40, 40]], dtype=float)
NATIONAL_YEARS = np.array([2021, 2022, 2023])


def national(chaining):
    return compute_national(
        NATIONAL_VALUES, None, NATIONAL_YEARS, [1, -1], [0, 1], NationalMethod(base_year=2021, chaining=chaining)
    )


def test_national_fixed_base_by_hand():
    result = national(Chaining.FIXED_BASE)
    np.testing.assert_allclose(result.composite, [100, 117.5, 123])
    np.testing.assert_allclose(result.pillars, [[100, 110, 121], [100, 125, 125]])


def test_national_chain_linked_and_rebased_by_hand():
    result = national(Chaining.CHAIN_LINKED)
    np.testing.assert_allclose(result.composite, [100, 117.5, 123.375])
    np.testing.assert_allclose(result.composite_links[1:], [1.175, 1.05])
    moved = result.rebased(2022)
    np.testing.assert_allclose(moved.composite, [100 / 1.175, 100, 105])
    np.testing.assert_allclose(moved.composite_links[1:], [1.175, 1.05])
    assert moved.base_year == 2022


def test_ties_share_the_better_rank_and_a_province_without_a_score_has_none():
    """Scores 5, 7, 7, 1, none → ranks 3, 1, 1, 4 (competition ranking: "1, 1, 3, 4"), and 0 for no score."""
    from evaluation.engine.aggregate import competition_ranks

    scores = np.array([[5.0], [7.0], [7.0], [1.0], [np.nan]])
    assert competition_ranks(scores)[:, 0].tolist() == [3, 1, 1, 4, 0]
